using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Model;

/// <summary>How node states are aggregated: the released code's raw 0/1 sum, or the row-normalised mean (a node averages itself and its predecessors; the global node averages all nodes).</summary>
public enum Aggregation { Sum, Mean }

/// <summary>
/// The GCN's shape and the facts a weights file must agree on. Defaults are the released code's (spec §4): 4 graph
/// convolutions of width 64 with BatchNorm and ReLU, raw-sum aggregation, readout from the global node, linear head.
/// </summary>
public sealed record TgNasConfig
{
    public int Layers { get; init; } = 4;
    public int Hidden { get; init; } = 64;
    public Aggregation Aggregation { get; init; } = Aggregation.Sum;
    /// <summary>How zero/identity edge ops are drawn when scoring (training on NB101 never meets them); files without the field score with data-flow graphs.</summary>
    public GraphMode Graph { get; init; } = GraphMode.DataFlow;
    /// <summary>Largest encoded graph (nodes incl. padding and the global node) the predictor accepts; an NB201 supernet with every op on every edge has 33.</summary>
    public int MaxNodes { get; init; } = 40;
    /// <summary>The sentence model whose vectors the GCN was trained on.</summary>
    public string EmbeddingModel { get; init; } = MiniLmEncoder.ModelId;
    public int InputWidth { get; init; } = MiniLmEncoder.Dimension + 1;
    /// <summary>Targets were z-scored with these; predictions are mapped back to the training label's unit (NB101 accuracy, %).</summary>
    public double TargetMean { get; init; }
    public double TargetStd { get; init; } = 1;

    public void Validate()
    {
        if (Layers is < 1 or > 16) throw new NasInputException($"TG-NAS GCN depth {Layers} is out of range 1..16.");
        if (Hidden is < 1 or > 1024) throw new NasInputException($"TG-NAS GCN width {Hidden} is out of range 1..1024.");
        if (!(TargetStd > 0) || !double.IsFinite(TargetMean)) throw new NasInputException("TG-NAS target scaling is invalid (std must be positive and finite).");
    }
}
