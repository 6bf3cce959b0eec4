using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NasSharp.Export.Translation;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace NasSharp.Export;

/// <summary>The result of running an exported file in ONNX Runtime next to the TorchSharp module on the same input.</summary>
public sealed record OnnxCheck(double MaxAbsDiff, double MaxAbsOutput, long[] OutputShape)
{
    /// <summary>When the check failed: the first module whose output differs (null when it passed, or no single module explains it).</summary>
    public OnnxDivergence? FirstDivergence { get; init; }

    /// <summary>The tolerance every export is held to (float32 summation order differs between the two runtimes).</summary>
    public const double Tolerance = 1e-4;
    public bool Passed => MaxAbsDiff < Tolerance;
}

/// <summary>Runs an ONNX file in ONNX Runtime and compares it with the TorchSharp module (eval mode) on a seeded random batch.</summary>
public static class OnnxVerifier
{
    /// <param name="translators">The translators the file was written with (default: <see cref="ModuleTranslators.Default"/>);
    /// used only to locate the first diverging module when the check fails.</param>
    public static OnnxCheck Verify(nn.Module<TorchTensor, TorchTensor> network, byte[] onnxModel, long[] inputShape, int seed, ModuleTranslators? translators = null)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var input = randn(inputShape, generator: generator);
        bool wasTraining = network.training;
        network.eval();
        TorchTensor expected;
        using (no_grad()) expected = network.call(input).to(ScalarType.Float32).contiguous();
        if (wasTraining) network.train();

        var inputData = input.data<float>().ToArray();
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(onnxModel, options);
        var feed = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor<float>(inputData, inputShape.Select(d => (int)d).ToArray())) };
        using var results = session.Run(feed);
        var actual = results.First(r => r.Name == OnnxExporter.OutputName).AsTensor<float>();
        var want = expected.data<float>().ToArray();
        var got = actual.ToArray();
        if (got.Length != want.Length) throw new InvalidOperationException($"ONNX output has {got.Length} values, TorchSharp {want.Length}.");
        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < got.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)got[i] - want[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs(want[i]));
        }
        if (double.IsNaN(maxDiff) || got.Any(v => !float.IsFinite(v))) maxDiff = double.PositiveInfinity;
        var check = new OnnxCheck(maxDiff, maxAbs, actual.Dimensions.ToArray().Select(d => (long)d).ToArray());
        if (check.Passed || inputShape.Length != 4) return check;
        network.eval();
        try { return check with { FirstDivergence = OnnxDivergence.Locate(network, input, translators ?? ModuleTranslators.Default) }; }
        finally { if (wasTraining) network.train(); }
    }
}
