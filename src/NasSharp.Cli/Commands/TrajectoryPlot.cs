namespace NasSharp.Cli.Commands;

/// <summary>The "best so far, mean ± std over seeds" curve that every comparison plot draws: a line over a shaded band.</summary>
internal static class TrajectoryPlot
{
    public static void AddMeanStd(ScottPlot.Plot plt, ScottPlot.Color color, double[] xs, double[] mean, double[] std, string label)
    {
        var band = plt.Add.FillY(xs, mean.Zip(std, (m, s) => m - s).ToArray(), mean.Zip(std, (m, s) => m + s).ToArray());
        band.FillColor = color.WithAlpha(0.15);
        band.LineWidth = 0;
        var line = plt.Add.ScatterLine(xs, mean);
        line.Color = color;
        line.LineWidth = 2;
        line.LegendText = label;
    }
}
