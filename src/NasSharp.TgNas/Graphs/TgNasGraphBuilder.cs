using System.Globalization;
using NasSharp.Spaces;
using NasSharp.Spaces.Darts;
using NasSharp.Spaces.Mbv3;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Graphs;

/// <summary>
/// Architecture → TG-NAS graph for any <see cref="ISearchSpace"/> (spec §3): ops-on-edges spaces are turned into their
/// line graph (one node per edge op, <see cref="ArchitectureConversion.EdgeOpsToNodeOps"/>; for NB201 this is exactly
/// the paper's fixed 8-node wiring 0→1,0→2,0→4,1→3,1→5,2→6,3→6,4,5,6→7), ops-on-nodes spaces are used as they are.
/// Every node is labelled with its operator's description. Several ops on one edge (a pruning supernet) simply give
/// several op nodes.
/// <para>Two spaces need their own graphs: DARTS genotypes go through <see cref="DartsOpGraph"/> (the generic line graph
/// would turn the structural <c>concat</c> edges into op nodes) in the chosen <see cref="DartsGraphMode"/>; MobileNetV3's
/// input node <c>input@R</c> carries the resolution, so it is described as "Input image of resolution R by R".</para>
/// </summary>
public sealed class TgNasGraphBuilder
{
    /// <summary>Graphs smaller than this are padded with all-zero nodes (spec: maxsize 7), so NB101 has N = 8 with the global node.</summary>
    public const int PadTo = 7;

    private readonly IReadOnlyDictionary<string, string> _descriptions;

    public TgNasGraphBuilder(ISearchSpace space, IReadOnlyDictionary<string, string>? overrides = null, DartsGraphMode dartsMode = DartsGraphMode.Both,
                             GraphMode graphMode = GraphMode.DataFlow)
    {
        Space = space;
        DartsMode = dartsMode;
        GraphMode = graphMode;
        var map = new Dictionary<string, string>(OperatorDescriptions.For(space, overrides), StringComparer.Ordinal);
        if (space is Mbv3Space)
            foreach (var r in Mbv3InputResolutions())
                map.TryAdd(Mbv3Space.InputPrefix + r.ToString(CultureInfo.InvariantCulture), Mbv3InputDescription(r));
        _descriptions = map;
    }

    public ISearchSpace Space { get; }
    public DartsGraphMode DartsMode { get; }
    /// <summary>Ops-on-edges spaces other than DARTS: zero/identity ops as nodes (paper) or as data flow (<see cref="DataFlowGraph"/>).</summary>
    public GraphMode GraphMode { get; }
    public IReadOnlyDictionary<string, string> Descriptions => _descriptions;

    /// <summary>Graphs scored per architecture: 2 for DARTS in <see cref="DartsGraphMode.Mean"/> (scores averaged), else 1.</summary>
    public int ViewsPerArchitecture => Space is DartsSpace && DartsMode == DartsGraphMode.Mean ? 2 : 1;

    /// <summary>The one graph of an architecture; for DARTS in <see cref="DartsGraphMode.Mean"/> use <see cref="BuildViews"/>.</summary>
    public CellGraph Build(Architecture arch)
    {
        var views = BuildViews(arch);
        if (views.Count != 1) throw new InvalidOperationException($"DARTS mode {DartsMode} gives {views.Count} graphs per genotype; call BuildViews and average their scores.");
        return views[0];
    }

    /// <summary>The graphs whose mean score is the architecture's score (<see cref="ViewsPerArchitecture"/> of them).</summary>
    public IReadOnlyList<CellGraph> BuildViews(Architecture arch)
    {
        if (Space is DartsSpace) return DartsViews(ToGenotype(arch)).Select(Label).ToArray();
        var nodeArch = ArchitectureConversion.EdgeOpsToNodeOps(arch);
        if (GraphMode == GraphMode.DataFlow && arch.Placement == OpPlacement.Edges) nodeArch = DataFlowGraph.Simplify(nodeArch);
        return [Label(nodeArch)];
    }

    /// <summary>The graphs of a DARTS genotype in this builder's mode (ops on nodes, <see cref="DartsOpGraph"/>).</summary>
    public IReadOnlyList<CellGraph> BuildDarts(DartsGenotype genotype) => DartsViews(genotype).Select(Label).ToArray();

    private IEnumerable<Architecture> DartsViews(DartsGenotype g) => DartsMode switch
    {
        DartsGraphMode.Normal => [DartsOpGraph.NormalCell(g)],
        DartsGraphMode.Both => [DartsOpGraph.BothCells(g)],
        _ => [DartsOpGraph.Cell(g.Normal), DartsOpGraph.Cell(g.Reduce)],
    };

    private static DartsGenotype ToGenotype(Architecture arch)
    {
        // A supernet with several ops per edge (tgnas-prune) is not a genotype: say which search works instead.
        if (arch.Edges.GroupBy(e => (e.From, e.To)).Any(g => g.Count() > 1))
            throw new NasInputException("TG-NAS scores DARTS genotypes (one op per entry), not multi-op supernets; in the DARTS space use the evolve search (nas tgnas search --space darts --strategy evolve).");
        return DartsSpace.ToGenotype(arch);
    }

    private CellGraph Label(Architecture nodeArch)
    {
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

    /// <summary>MobileNetV3's resolution lives in the input node: "Input image of resolution 192 by 192" (our wording).</summary>
    public static string Mbv3InputDescription(int resolution) =>
        string.Create(CultureInfo.InvariantCulture, $"Input image of resolution {resolution} by {resolution}");

    private static IEnumerable<int> Mbv3InputResolutions()
    {
        for (int r = Mbv3Config.MinResolution; r <= Mbv3Config.MaxResolution; r += 4) yield return r;
    }

    /// <summary>Node count of the encoded graph: padded to <see cref="PadTo"/>, plus the global node.</summary>
    public static int EncodedNodes(int realNodes) => Math.Max(realNodes, PadTo) + 1;
}
