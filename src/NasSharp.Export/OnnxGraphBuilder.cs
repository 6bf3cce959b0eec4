using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace NasSharp.Export;

/// <summary>
/// Accumulates an ONNX graph: nodes with unique value names, float initializers copied from module tensors, and
/// the typed input/output declarations. Knows nothing about modules; translators write through <see cref="Translation.OnnxEmitter"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "nassharp" };
    private int _counter;

    public string Fresh(string hint) => $"{hint}_{_counter++}";

    /// <summary>Adds a node and returns the name of its (single) output.</summary>
    public string Node(string opType, IEnumerable<string> inputs, string hint, params AttributeProto[] attributes)
    {
        var output = Fresh(hint);
        var node = new NodeProto { OpType = opType, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Copies a tensor (any device, any float dtype) into a float32 initializer and returns its name.</summary>
    public string Initializer(Tensor tensor, string hint)
    {
        using var cpu = tensor.detach().to(ScalarType.Float32, CPU).contiguous();
        var values = cpu.data<float>().ToArray();
        foreach (var v in values)
            if (!float.IsFinite(v)) throw new NasInputException($"Cannot export: parameter '{hint}' holds {v}; the network diverged (retrain or use an earlier checkpoint).");
        var name = Fresh(hint);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        proto.Dims.AddRange(cpu.shape);
        _graph.Initializer.Add(proto);
        return name;
    }

    public string Constant(float[] values, long[] dims, string hint)
    {
        var name = Fresh(hint);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.FloatData.AddRange(values);
        proto.Dims.AddRange(dims);
        _graph.Initializer.Add(proto);
        return name;
    }

    public string Int64Constant(long[] values, string hint)
    {
        var name = Fresh(hint);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Int64Data.AddRange(values);
        proto.Dims.Add(values.Length);
        _graph.Initializer.Add(proto);
        return name;
    }

    public void Input(string name, long[] shape) => _graph.Input.Add(ValueInfo(name, shape));
    public void Output(string name, long[] shape) => _graph.Output.Add(ValueInfo(name, shape));

    /// <summary>A float tensor declaration; dimension 0 (the batch) is symbolic "N".</summary>
    private static ValueInfoProto ValueInfo(string name, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        for (int i = 0; i < shape.Length; i++)
            tensorShape.Dim.Add(i == 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    public ModelProto Model(string producer, string docString)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = producer, ProducerVersion = "1", DocString = docString, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
