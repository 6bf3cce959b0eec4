namespace NasSharp.Search.Strategies.Bananas;

/// <summary>Mean and standard deviation of an ensemble's predictions, in the units of the training targets.</summary>
public readonly record struct Prediction(double Mean, double Std);

/// <param name="Members">Networks in the ensemble (BANANAS / NASLib: 3 … 5).</param>
/// <param name="Hidden">Hidden layer widths.</param>
public sealed record MlpEnsembleOptions(int Members = 3, int[]? Hidden = null, int Epochs = 200, int BatchSize = 16, double LearningRate = 0.003)
{
    public int[] HiddenLayers => Hidden ?? [32, 32];
}

/// <summary>
/// BANANAS' predictor: independently initialised MLPs fitted to the same data; their spread is the uncertainty the
/// acquisition function uses. Targets are standardised before fitting and predictions mapped back.
/// </summary>
public sealed class MlpEnsemble
{
    private readonly List<Mlp> _members = [];
    private double _mean, _scale = 1;

    public MlpEnsemble(IReadOnlyList<double[]> xs, IReadOnlyList<double> ys, MlpEnsembleOptions options, Random rng)
    {
        if (xs.Count == 0 || xs.Count != ys.Count) throw new ArgumentException("Need the same positive number of inputs and targets.");
        _mean = ys.Average();
        double var = ys.Sum(y => (y - _mean) * (y - _mean)) / ys.Count;
        _scale = var > 1e-12 ? Math.Sqrt(var) : 1;
        var targets = ys.Select(y => (y - _mean) / _scale).ToArray();
        for (int m = 0; m < options.Members; m++)
        {
            var net = new Mlp(xs[0].Length, options.HiddenLayers, new Random(rng.Next()));
            net.Fit(xs, targets, options.Epochs, options.BatchSize, options.LearningRate, new Random(rng.Next()));
            _members.Add(net);
        }
    }

    public Prediction Predict(double[] x)
    {
        Span<double> p = stackalloc double[_members.Count];
        for (int i = 0; i < p.Length; i++) p[i] = _members[i].Predict(x) * _scale + _mean;
        double mean = 0;
        foreach (var v in p) mean += v;
        mean /= p.Length;
        double var = 0;
        foreach (var v in p) var += (v - mean) * (v - mean);
        return new Prediction(mean, Math.Sqrt(var / p.Length));
    }
}
