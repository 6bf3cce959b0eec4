namespace NasSharp.Search.Strategies.Bananas;

/// <summary>
/// A small fully connected regression network (ReLU hidden layers, linear output) trained with Adam on squared error.
/// Plain managed code: BANANAS' predictors see at most a few hundred points of a few hundred features, where a
/// tensor library's call overhead costs more than the arithmetic.
/// </summary>
internal sealed class Mlp
{
    private readonly int[] _sizes;
    private readonly double[][] _w, _b; // layer l: _w[l] is [out × in] row-major
    private readonly double[][] _mw, _vw, _mb, _vb;
    private int _step;

    public Mlp(int inputs, IReadOnlyList<int> hidden, Random rng)
    {
        _sizes = [inputs, .. hidden, 1];
        int layers = _sizes.Length - 1;
        _w = new double[layers][]; _b = new double[layers][];
        _mw = new double[layers][]; _vw = new double[layers][]; _mb = new double[layers][]; _vb = new double[layers][];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            double bound = Math.Sqrt(6.0 / Math.Max(1, fanIn)); // He-uniform for ReLU layers
            _w[l] = new double[fanIn * fanOut];
            for (int i = 0; i < _w[l].Length; i++) _w[l][i] = (2 * rng.NextDouble() - 1) * bound * (l == layers - 1 ? 0.5 : 1);
            _b[l] = new double[fanOut];
            _mw[l] = new double[_w[l].Length]; _vw[l] = new double[_w[l].Length];
            _mb[l] = new double[fanOut]; _vb[l] = new double[fanOut];
        }
    }

    public double Predict(double[] x)
    {
        var a = x;
        for (int l = 0; l < _w.Length; l++)
        {
            var z = new double[_sizes[l + 1]];
            Forward(l, a, z);
            a = z;
        }
        return a[0];
    }

    /// <summary>z = act(W·input + b) for layer <paramref name="l"/> (ReLU on hidden layers, identity on the output).</summary>
    private void Forward(int l, double[] input, double[] z)
    {
        int nIn = _sizes[l], nOut = _sizes[l + 1];
        var w = _w[l];
        var b = _b[l];
        bool relu = l < _w.Length - 1;
        for (int o = 0; o < nOut; o++)
        {
            var row = new ReadOnlySpan<double>(w, o * nIn, nIn);
            double s = b[o] + Dot(row, input);
            z[o] = relu && s < 0 ? 0 : s;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var acc = System.Numerics.Vector<double>.Zero;
            int width = System.Numerics.Vector<double>.Count;
            for (; i <= a.Length - width; i += width)
                acc += new System.Numerics.Vector<double>(a.Slice(i, width)) * new System.Numerics.Vector<double>(b.Slice(i, width));
            s = System.Numerics.Vector.Sum(acc);
        }
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Mini-batch Adam on mean squared error; the batch order is drawn from <paramref name="rng"/>.</summary>
    public void Fit(IReadOnlyList<double[]> xs, IReadOnlyList<double> ys, int epochs, int batchSize, double learningRate, Random rng)
    {
        int n = xs.Count, layers = _w.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var gw = _w.Select(w => new double[w.Length]).ToArray();
        var gb = _b.Select(b => new double[b.Length]).ToArray();
        var acts = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) acts[l] = new double[_sizes[l]];
        var deltas = _sizes.Select(size => new double[size]).ToArray(); // deltas[l]: d loss / d (pre-activation) of layer l's output
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            for (int start = 0; start < n; start += batchSize)
            {
                int end = Math.Min(n, start + batchSize);
                foreach (var g in gw) Array.Clear(g);
                foreach (var g in gb) Array.Clear(g);
                for (int k = start; k < end; k++)
                {
                    acts[0] = xs[order[k]];
                    for (int l = 0; l < layers; l++) Forward(l, acts[l], acts[l + 1]);
                    // d(loss)/d(output) for loss = mean (y - ŷ)² over the batch
                    deltas[layers][0] = 2 * (acts[layers][0] - ys[order[k]]) / (end - start);
                    for (int l = layers - 1; l >= 0; l--)
                    {
                        int nIn = _sizes[l], nOut = _sizes[l + 1];
                        var input = acts[l];
                        var w = _w[l];
                        var delta = deltas[l + 1];
                        var prev = deltas[l];
                        bool propagate = l > 0;
                        if (propagate) Array.Clear(prev);
                        for (int o = 0; o < nOut; o++)
                        {
                            double d = delta[o];
                            if (d == 0) continue;
                            gb[l][o] += d;
                            var grow = new Span<double>(gw[l], o * nIn, nIn);
                            var wrow = new ReadOnlySpan<double>(w, o * nIn, nIn);
                            for (int i = 0; i < nIn; i++) grow[i] += d * input[i];
                            if (propagate) for (int i = 0; i < nIn; i++) prev[i] += d * wrow[i];
                        }
                        if (!propagate) break;
                        for (int i = 0; i < nIn; i++) if (input[i] <= 0) prev[i] = 0; // ReLU derivative
                    }
                }
                AdamStep(gw, gb, learningRate);
            }
        }
    }

    private void AdamStep(double[][] gw, double[][] gb, double lr)
    {
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        _step++;
        double c1 = 1 - Math.Pow(beta1, _step), c2 = 1 - Math.Pow(beta2, _step);
        for (int l = 0; l < _w.Length; l++)
        {
            Update(_w[l], gw[l], _mw[l], _vw[l]);
            Update(_b[l], gb[l], _mb[l], _vb[l]);
        }

        void Update(double[] p, double[] g, double[] m, double[] v)
        {
            for (int i = 0; i < p.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + eps);
            }
        }
    }
}
