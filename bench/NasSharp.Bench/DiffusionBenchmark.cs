using BenchmarkDotNet.Attributes;
using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Diffusion.Training;
using NasSharp.Spaces.Nb201;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Bench;

/// <summary>
/// DiffusionNAG on NB201 with the CPU default sizes: one score-matching training step (batch 256, forward + backward +
/// Adam) and sampling 1,000 architectures in one batch (default sampler: 50 PC steps = 100 network evaluations, unguided
/// and guided by the shipped predictor).
/// </summary>
[MemoryDiagnoser]
public class DiffusionBenchmark
{
    private ScoreNetwork _network = null!;
    private Action _zeroGrad = null!, _step = null!;
    private Tensor _data = null!;
    private ScoreModel _shipped = null!;
    private PredictorModel _predictor = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        random.manual_seed(0);
        var enc = Nb201Encoding.Instance;
        _network = ScoreModel.CreateNetwork(enc, new TransformerConfig());
        _network.train();
        var adam = optim.Adam(_network.parameters(), lr: 1e-3);
        _zeroGrad = () => adam.zero_grad();
        _step = () => adam.step();
        var archs = Nb201Space.Instance.Enumerate().Take(256).ToArray();
        _data = tensor(EncodingBatches.EncodeCentred(enc, archs), [256, enc.Nodes, enc.OpTypes]);
        _shipped = ScoreModel.Load(ScoreModel.DefaultPath("nb201"), "nb201");
        _predictor = PredictorModel.Load(PredictorModel.DefaultPath("nb201"), "nb201");
    }

    [Benchmark]
    public float TrainingStep()
    {
        using var scope = NewDisposeScope();
        var loss = ScoreTrainer.Loss(_network, new VeSde(), _data);
        _zeroGrad();
        loss.backward();
        _step();
        return loss.item<float>();
    }

    [Benchmark]
    public int Sample1000() => new DiffusionGenerator(_shipped).Run(1000, 1).Valid;

    [Benchmark]
    public int Sample1000Guided() => new DiffusionGenerator(_shipped, _predictor).Run(1000, 1, "cifar10", 3).Valid;
}
