using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.TgNas.Model;

/// <summary>
/// The TG-NAS GCN on dense batched tensors (spec §4): per layer H ← ReLU(BN(Â·(H·W) + b)), readout = the global
/// (last) node, Linear(hidden→1), no sigmoid. The first layer's H·W is computed once per operator-table row and
/// gathered per node (table·W₁)[ops], which equals X·W₁ for one-hot-by-description features at a fraction of the cost.
/// BatchNorm pools over batch × nodes (padded and global included), as the released code does.
/// </summary>
public sealed class GcnNetwork : nn.Module
{
    private readonly Parameter[] _weights, _biases;
    private readonly BatchNorm1d[] _norms;
    private readonly Linear _head;
    private readonly TgNasConfig _config;

    public GcnNetwork(TgNasConfig config) : base("tgnas_gcn")
    {
        config.Validate();
        _config = config;
        _weights = new Parameter[config.Layers];
        _biases = new Parameter[config.Layers];
        _norms = new BatchNorm1d[config.Layers];
        double biasBound = 1.0 / Math.Sqrt(config.Hidden);
        for (int l = 0; l < config.Layers; l++)
        {
            int input = l == 0 ? config.InputWidth : config.Hidden;
            _weights[l] = new Parameter(empty(input, config.Hidden).uniform_(-0.05, 0.05));
            _biases[l] = new Parameter(empty(config.Hidden).uniform_(-biasBound, biasBound));
            _norms[l] = nn.BatchNorm1d(config.Hidden);
            register_parameter($"gc{l}_weight", _weights[l]);
            register_parameter($"gc{l}_bias", _biases[l]);
            register_module($"bn{l}", _norms[l]);
        }
        _head = nn.Linear(config.Hidden, 1);
        register_module("head", _head);
    }

    /// <param name="table">(rows, 385) operator table.</param>
    /// <param name="ops">(B, N) int64 rows of <paramref name="table"/>.</param>
    /// <param name="adjacency">(B, N, N) Â, receiver-major.</param>
    /// <returns>(B) normalised scores.</returns>
    public Tensor Forward(Tensor table, Tensor ops, Tensor adjacency)
    {
        long b = ops.shape[0], n = ops.shape[1];
        var a = _config.Aggregation == Aggregation.Mean ? adjacency / adjacency.sum(-1, keepdim: true) : adjacency;
        Tensor h = table.matmul(_weights[0]).index_select(0, ops.reshape(-1)).view(b, n, _config.Hidden);
        for (int l = 0; l < _config.Layers; l++)
        {
            if (l > 0) h = h.matmul(_weights[l]);
            h = a.bmm(h) + _biases[l];
            h = _norms[l].forward(h.reshape(b * n, _config.Hidden)).view(b, n, _config.Hidden).relu();
        }
        return _head.forward(h.select(1, n - 1)).squeeze(-1);
    }

    /// <summary>
    /// Eval-mode <see cref="Forward"/> for scoring many graphs: BatchNorm with running statistics is an affine map per
    /// channel, and Â is linear, so it folds into the graph convolution (W' = W·s, b' = (b − μ)·s + β with
    /// s = γ/√(σ² + ε)); the rest runs in place. Same result as <see cref="Forward"/> in eval mode, fewer passes over memory.
    /// </summary>
    public Tensor Infer(Tensor table, Tensor ops, Tensor adjacency)
    {
        if (training) throw new InvalidOperationException("Infer uses BatchNorm running statistics; call eval() first.");
        long b = ops.shape[0], n = ops.shape[1];
        var a = _config.Aggregation == Aggregation.Mean ? adjacency / adjacency.sum(-1, keepdim: true) : adjacency;
        Tensor h = null!;
        for (int l = 0; l < _config.Layers; l++)
        {
            var norm = _norms[l];
            var scale = norm.weight! / (norm.running_var! + BatchNormEps).sqrt();
            var w = _weights[l] * scale;
            var bias = (_biases[l] - norm.running_mean!) * scale + norm.bias!;
            h = l == 0 ? table.matmul(w).index_select(0, ops.reshape(-1)).view(b, n, _config.Hidden) : h.matmul(w);
            h = a.bmm(h).add_(bias).relu_();
        }
        return _head.forward(h.select(1, n - 1)).squeeze(-1);
    }

    private const double BatchNormEps = 1e-5; // nn.BatchNorm1d's default, which the constructor uses
}
