using NasSharp.Spaces;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Graphs;

/// <summary>
/// Architecture → TG-NAS graph for any <see cref="ISearchSpace"/> (spec §3): ops-on-edges spaces are turned into their
/// line graph (one node per edge op, <see cref="ArchitectureConversion.EdgeOpsToNodeOps"/>; for NB201 this is exactly
/// the paper's fixed 8-node wiring 0→1,0→2,0→4,1→3,1→5,2→6,3→6,4,5,6→7), ops-on-nodes spaces are used as they are.
/// Every node is labelled with its operator's description. Several ops on one edge (a pruning supernet) simply give
/// several op nodes.
/// </summary>
public sealed class TgNasGraphBuilder
{
    /// <summary>Graphs smaller than this are padded with all-zero nodes (spec: maxsize 7), so NB101 has N = 8 with the global node.</summary>
    public const int PadTo = 7;

    private readonly IReadOnlyDictionary<string, string> _descriptions;

    public TgNasGraphBuilder(ISearchSpace space, IReadOnlyDictionary<string, string>? overrides = null)
    {
        Space = space;
        _descriptions = OperatorDescriptions.For(space, overrides);
    }

    public ISearchSpace Space { get; }
    public IReadOnlyDictionary<string, string> Descriptions => _descriptions;

    public CellGraph Build(Architecture arch)
    {
        var nodeArch = ArchitectureConversion.EdgeOpsToNodeOps(arch);
        var descriptions = new string[nodeArch.NodeCount];
        for (int i = 0; i < descriptions.Length; i++)
        {
            var op = nodeArch.NodeOps![i];
            if (!_descriptions.TryGetValue(op, out var d))
                throw new NasInputException($"Operator '{op}' has no description in space '{Space.Name}'; describe it with --op \"{op}=<short English phrase>\".");
            descriptions[i] = d;
        }
        return new CellGraph(descriptions, nodeArch.Edges.Select(e => (e.From, e.To)).ToArray());
    }

    /// <summary>Node count of the encoded graph: padded to <see cref="PadTo"/>, plus the global node.</summary>
    public static int EncodedNodes(int realNodes) => Math.Max(realNodes, PadTo) + 1;
}
