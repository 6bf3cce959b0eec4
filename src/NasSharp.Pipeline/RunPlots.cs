using NasSharp.Ranking;

namespace NasSharp.Pipeline;

/// <summary>The PNG plots of a run report (ScottPlot).</summary>
internal static class RunPlots
{
    public static void SearchTrajectory(string path, SearchStageResult search)
    {
        var plt = new ScottPlot.Plot();
        double[] xs = Enumerable.Range(1, search.Trajectory.Count).Select(i => (double)i).ToArray();
        var best = plt.Add.Scatter(xs, search.Trajectory.ToArray());
        best.LegendText = "best score so far";
        if (search.CandidateSource == "evaluated" && search.Candidates.Count == search.Trajectory.Count)
        {
            var each = plt.Add.ScatterPoints(xs, search.Candidates.Select(c => c.Score).ToArray());
            each.MarkerSize = 3;
            each.LegendText = "each evaluation";
        }
        plt.Title($"Search trajectory: {search.Strategy}, {search.Evaluations} evaluations");
        plt.XLabel(search.TrajectoryUnit);
        plt.YLabel("search score");
        plt.ShowLegend(ScottPlot.Alignment.LowerRight);
        plt.SavePng(path, 900, 600);
    }

    /// <summary>Returns Kendall's tau-b between score and table accuracy over the plotted candidates.</summary>
    public static double ProxyVsAccuracy(string path, SearchStageResult search)
    {
        var known = search.Candidates.Where(c => c.TableAccuracy is not null).ToList();
        double[] x = known.Select(c => c.Score).ToArray(), y = known.Select(c => c.TableAccuracy!.Value).ToArray();
        double tau = RankCorrelation.KendallTauB(x, y);
        var plt = new ScottPlot.Plot();
        var all = plt.Add.ScatterPoints(x, y);
        all.MarkerSize = 4;
        all.LegendText = search.CandidateSource == "sample" ? $"{known.Count} candidates (seeded random sample + winner)" : $"{known.Count} evaluated candidates";
        if (search.TableAccuracy is { } winnerAcc)
        {
            var w = plt.Add.ScatterPoints(new[] { search.Score }, new[] { winnerAcc });
            w.MarkerSize = 12;
            w.Color = ScottPlot.Colors.Red;
            w.LegendText = "found architecture";
        }
        plt.Title($"Search score vs table test accuracy ({search.TableDataset}); Kendall tau {tau:F3}");
        plt.XLabel("search score");
        plt.YLabel($"table test accuracy on {search.TableDataset} (%)");
        plt.ShowLegend(ScottPlot.Alignment.LowerRight);
        plt.SavePng(path, 900, 600);
        return tau;
    }

    public static void TrainingCurve(string path, TrainStageResult train)
    {
        var plt = new ScottPlot.Plot();
        double[] epochs = train.History.Select(h => (double)h.Epoch).ToArray();
        var loss = plt.Add.Scatter(epochs, train.History.Select(h => h.TrainLoss).ToArray());
        loss.LegendText = "train loss (left)";
        var testLoss = plt.Add.Scatter(epochs, train.History.Select(h => h.TestLoss).ToArray());
        testLoss.LegendText = "test loss (left)";
        var trainAcc = plt.Add.Scatter(epochs, train.History.Select(h => h.TrainAccuracy).ToArray());
        trainAcc.LegendText = "train accuracy % (right)";
        trainAcc.Axes.YAxis = plt.Axes.Right;
        var testAcc = plt.Add.Scatter(epochs, train.History.Select(h => h.TestAccuracy).ToArray());
        testAcc.LegendText = "test accuracy % (right)";
        testAcc.Axes.YAxis = plt.Axes.Right;
        plt.Title($"Training on {train.Data}: {train.TrainImages:N0} train / {train.TestImages:N0} test images, batch {train.BatchSize}");
        plt.XLabel("epoch");
        plt.Axes.Left.Label.Text = "cross-entropy loss";
        plt.Axes.Right.Label.Text = "accuracy (%)";
        plt.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plt.SavePng(path, 900, 600);
    }
}
