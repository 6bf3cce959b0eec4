using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NasSharp.Export.Translation;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace NasSharp.Export;

/// <summary>
/// The first module (in execution order, innermost first) whose output differs between TorchSharp and ONNX Runtime,
/// with the difference and its output's magnitude. A failed export check names the operator to look at instead of only
/// a final max |diff|: a semantic mismatch shows as one module whose inputs agree and whose output does not.
/// </summary>
public sealed record OnnxDivergence(string ModulePath, string ModuleType, double MaxAbsDiff, double MaxAbsOutput)
{
    public override string ToString() => $"first diverging module '{ModulePath}' ({ModuleType}): max |diff| {MaxAbsDiff:E3} on outputs up to {MaxAbsOutput:G4}";

    /// <summary>
    /// Re-exports <paramref name="network"/> with every module output exposed, runs both sides on <paramref name="input"/>
    /// and returns the first module whose output differs beyond the tolerance (relative to its magnitude when above 1);
    /// null when none does (the difference then arises between module outputs, e.g. in a translator's own glue nodes).
    /// </summary>
    internal static OnnxDivergence? Locate(nn.Module<TorchTensor, TorchTensor> network, TorchTensor input, ModuleTranslators translators)
    {
        var (model, modules) = OnnxExporter.ToTracedModel(network, input.shape[1], input.shape[2], input.shape[3], translators);
        var torchOutputs = TorchOutputs(network, input, modules);
        try
        {
            var onnxOutputs = OnnxOutputs(model, input);
            foreach (var m in modules)
            {
                if (!torchOutputs.TryGetValue(m.Module, out var calls) || calls.Count != 1) continue; // not a Tensor→Tensor module, or shared
                if (!onnxOutputs.TryGetValue(m.Value, out var got)) continue;
                var want = calls[0];
                if (want.Length != got.Length) return new OnnxDivergence(m.Path, m.Module.GetType().Name, double.PositiveInfinity, 0);
                double diff = 0, max = 0;
                for (int i = 0; i < want.Length; i++)
                {
                    diff = Math.Max(diff, Math.Abs((double)want[i] - got[i]));
                    max = Math.Max(max, Math.Abs(want[i]));
                }
                if (double.IsNaN(diff) || diff >= OnnxCheck.Tolerance * Math.Max(1, max))
                    return new OnnxDivergence(m.Path, m.Module.GetType().Name, double.IsNaN(diff) ? double.PositiveInfinity : diff, max);
            }
            return null;
        }
        finally { foreach (var t in torchOutputs.Values) t.Clear(); }
    }

    /// <summary>Each traced module's output(s) in eval mode, captured by forward hooks that are removed afterwards.</summary>
    private static Dictionary<nn.Module, List<float[]>> TorchOutputs(nn.Module<TorchTensor, TorchTensor> network, TorchTensor input, IReadOnlyList<EmittedModule> modules)
    {
        var outputs = new Dictionary<nn.Module, List<float[]>>(ReferenceEqualityComparer.Instance);
        var removers = new List<Action>();
        try
        {
            foreach (var m in modules)
            {
                if (m.Module is not nn.Module<TorchTensor, TorchTensor> typed || outputs.ContainsKey(typed)) continue;
                var calls = outputs[typed] = [];
                var hook = typed.register_forward_hook((_, _, output) =>
                {
                    calls.Add(output.detach().to(ScalarType.Float32).contiguous().data<float>().ToArray());
                    return output;
                });
                removers.Add(hook.remove);
            }
            using var scope = NewDisposeScope();
            using (no_grad()) network.call(input);
        }
        finally { foreach (var remove in removers) remove(); }
        return outputs;
    }

    private static Dictionary<string, float[]> OnnxOutputs(Onnx.ModelProto model, TorchTensor input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model), options);
        var shape = input.shape.Select(d => (int)d).ToArray();
        var feed = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor<float>(input.contiguous().data<float>().ToArray(), shape)) };
        using var results = session.Run(feed);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }
}
