using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NasSharp.Spaces.UserDefined;

/// <summary>
/// A cell search space read from a JSON definition (<see cref="UserSpaceFile"/>). The architecture is a choice of one op
/// per slot — per listed edge (ops on edges) or per inner node (ops on nodes) — so the space has |ops|^slots members,
/// enumerable when at most <see cref="MaxEnumerable"/>.
/// <para>String form, NB201-like. Ops on edges: one group per node j that has incoming edges, listing <c>op~i</c> for its
/// sources i in increasing order: <c>|conv3~0|+|skip~0|conv3~1|+|...|</c>. Ops on nodes: one group per inner node:
/// <c>|conv3|+|maxpool|+|conv1|</c>.</para>
/// <para>Canonical hash: each node is expanded into the sorted multiset of its input terms, an op written by its
/// <see cref="UserOp.Signature"/> (so two names for the same primitive agree), identity transparent, zero terms (and ops
/// applied to an all-zero node) dropped, as NATS-Bench's unique string treats zeros; identity sums are flattened; the output
/// node's expansion is hashed. Nodes that cannot reach the output do not count.</para>
/// </summary>
public sealed partial class UserSpace : ISearchSpace
{
    public const long MaxEnumerable = 1_000_000;

    private readonly Dictionary<string, UserOp> _byName;
    private readonly (int From, int To)[] _edges;     // the cell's edges, sorted by target then source
    private readonly int[] _slotNodesOrEdges;          // edges placement: edge index per slot; nodes placement: node per slot

    private UserSpace(string name, string title, OpPlacement placement, int nodes, (int, int)[] edges, IReadOnlyList<UserOp> ops)
    {
        Name = name;
        Title = title;
        Placement = placement;
        NodeCount = nodes;
        _edges = edges;
        UserOps = ops;
        _byName = ops.ToDictionary(o => o.Name, StringComparer.Ordinal);
        Operations = ops.Select(o => new OperationInfo(o.Name, o.Description)).ToArray();
        _slotNodesOrEdges = placement == OpPlacement.Edges
            ? Enumerable.Range(0, edges.Length).ToArray()
            : Enumerable.Range(1, nodes - 2).ToArray();
        long size = 1;
        foreach (var _ in _slotNodesOrEdges)
        {
            if (size > long.MaxValue / ops.Count) { size = -1; break; }
            size *= ops.Count;
        }
        Size = size < 0 ? null : size;
    }

    public string Name { get; }
    public string Title { get; }
    public OpPlacement Placement { get; }
    public int NodeCount { get; }
    public IReadOnlyList<OperationInfo> Operations { get; }
    public IReadOnlyList<UserOp> UserOps { get; }
    public IReadOnlyList<(int From, int To)> CellEdges => _edges;
    /// <summary>Number of op choices an architecture makes (edges or inner nodes).</summary>
    public int SlotCount => _slotNodesOrEdges.Length;
    public long? Size { get; }
    public bool CanEnumerate => Size is <= MaxEnumerable;

    // ---- loading ----------------------------------------------------------------------------------------------

    /// <summary>Reads and validates a space definition file; every problem is a <see cref="NasInputException"/> naming the file and the fix.</summary>
    public static UserSpace Load(string path)
    {
        if (!File.Exists(path)) throw new NasInputException($"Space definition file not found: {path}.");
        return FromJson(File.ReadAllText(path), path);
    }

    public static UserSpace FromJson(string json, string source = "space definition")
    {
        UserSpaceFile? file;
        try
        {
            file = JsonSerializer.Deserialize<UserSpaceFile>(json, new JsonSerializerOptions
            {
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new NasInputException($"{source}: not a valid space definition: {e.Message} (see docs/spaces.md for the format).", e);
        }
        if (file is null) throw new NasInputException($"{source}: the file is empty or 'null'; see docs/spaces.md for the format.");
        return Validate(file, source);
    }

    private static UserSpace Validate(UserSpaceFile f, string src)
    {
        NasInputException Bad(string why) => new($"{src}: {why}");
        if (string.IsNullOrWhiteSpace(f.Name) || !NameRegex().IsMatch(f.Name))
            throw Bad("\"name\" must be a lowercase identifier (letters, digits, '_' or '-', starting with a letter), e.g. \"my_cell\".");
        if (SearchSpaces.All.Any(s => s is not UserSpace && string.Equals(s.Name, f.Name, StringComparison.OrdinalIgnoreCase)))
            throw Bad($"\"name\" '{f.Name}' is a built-in space; choose another name.");
        var placement = f.Placement?.ToLowerInvariant() switch
        {
            "edges" => OpPlacement.Edges,
            "nodes" => OpPlacement.Nodes,
            null => throw Bad("\"placement\" is missing; use \"edges\" (one op per edge, like NB201) or \"nodes\" (one op per inner node, like NB101)."),
            _ => throw Bad($"\"placement\" is '{f.Placement}'; use \"edges\" or \"nodes\"."),
        };
        if (f.Nodes is not { } n) throw Bad("\"nodes\" is missing: the number of cell nodes, input (0) and output (last) included.");
        int minNodes = placement == OpPlacement.Nodes ? 3 : 2;
        if (n < minNodes || n > 32) throw Bad($"\"nodes\" is {n}; it must be in {minNodes}..32 (input and output included{(placement == OpPlacement.Nodes ? ", and at least one inner node to carry an op" : "")}).");

        var edges = ReadEdges(f, n, Bad);
        var ops = ReadOps(f, Bad);
        CheckConnected(n, edges, Bad);
        var title = string.IsNullOrWhiteSpace(f.Title) ? $"User-defined space '{f.Name}' ({n} nodes, ops on {placement.ToString().ToLowerInvariant()})" : f.Title!;
        var space = new UserSpace(f.Name!, title, placement, n, edges.OrderBy(e => e.Item2).ThenBy(e => e.Item1).ToArray(), ops);
        if (space.SlotCount == 0) throw Bad("the cell has no edge or inner node to place an op on.");
        return space;
    }

    private static List<(int, int)> ReadEdges(UserSpaceFile f, int n, Func<string, NasInputException> bad)
    {
        var list = new List<(int, int)>();
        var e = f.Edges;
        if (e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw bad("\"edges\" is missing; give \"all\" (every forward edge i→j, i<j) or a list of [from, to] pairs.");
        if (e.ValueKind == JsonValueKind.String)
        {
            if (e.GetString() != "all") throw bad($"\"edges\" is \"{e.GetString()}\"; the only keyword is \"all\", otherwise list [from, to] pairs.");
            for (int j = 1; j < n; j++) for (int i = 0; i < j; i++) list.Add((i, j));
            return list;
        }
        if (e.ValueKind != JsonValueKind.Array) throw bad("\"edges\" must be \"all\" or a list of [from, to] pairs.");
        foreach (var pair in e.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out _)))
                throw bad($"edge {pair.GetRawText()} is not a [from, to] pair of node numbers.");
            int a = pair[0].GetInt32(), b = pair[1].GetInt32();
            if (a < 0 || a >= n || b < 0 || b >= n) throw bad($"edge [{a}, {b}] names a node outside 0..{n - 1}.");
            if (a == b) throw bad($"edge [{a}, {b}] is a self-loop; cells are acyclic.");
            if (list.Contains((a, b))) throw bad($"edge [{a}, {b}] is listed twice.");
            list.Add((a, b));
        }
        if (list.Count == 0) throw bad("\"edges\" is empty.");
        var cycle = FindCycle(n, list);
        if (cycle is not null) throw bad($"the graph is cyclic: {string.Join(" → ", cycle)}. Cells must be DAGs.");
        var back = list.FirstOrDefault(x => x.Item1 > x.Item2);
        if (list.Any(x => x.Item1 > x.Item2))
            throw bad($"edge [{back.Item1}, {back.Item2}] goes from a higher to a lower node; number the nodes in topological order (input 0, output {n - 1}).");
        return list;
    }

    private static List<int>? FindCycle(int n, List<(int, int)> edges)
    {
        var state = new int[n]; // 0 new, 1 on stack, 2 done
        var stack = new List<int>();
        List<int>? Visit(int v)
        {
            state[v] = 1; stack.Add(v);
            foreach (var (a, b) in edges)
            {
                if (a != v) continue;
                if (state[b] == 1) { var i = stack.IndexOf(b); var c = stack.Skip(i).ToList(); c.Add(b); return c; }
                if (state[b] == 0 && Visit(b) is { } found) return found;
            }
            state[v] = 2; stack.RemoveAt(stack.Count - 1);
            return null;
        }
        for (int v = 0; v < n; v++) if (state[v] == 0 && Visit(v) is { } c) return c;
        return null;
    }

    private static void CheckConnected(int n, List<(int, int)> edges, Func<string, NasInputException> bad)
    {
        var fromInput = new bool[n]; fromInput[0] = true;
        var toOutput = new bool[n]; toOutput[n - 1] = true;
        foreach (var (a, b) in edges.OrderBy(e => e.Item1)) if (fromInput[a]) fromInput[b] = true;
        foreach (var (a, b) in edges.OrderByDescending(e => e.Item2)) if (toOutput[b]) toOutput[a] = true;
        for (int v = 0; v < n; v++)
        {
            if (!fromInput[v]) throw bad($"node {v} cannot be reached from the input (node 0); add an edge into it or remove it.");
            if (!toOutput[v]) throw bad($"node {v} does not lead to the output (node {n - 1}); add an edge out of it or remove it.");
        }
    }

    private static List<UserOp> ReadOps(UserSpaceFile f, Func<string, NasInputException> bad)
    {
        if (f.Ops is null || f.Ops.Count == 0) throw bad("\"ops\" is missing or empty; list the operations with name, description and primitive.");
        var ops = new List<UserOp>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < f.Ops.Count; i++)
        {
            var o = f.Ops[i];
            if (string.IsNullOrWhiteSpace(o.Name) || !OpNameRegex().IsMatch(o.Name))
                throw bad($"op {i + 1} has no valid \"name\" (letters, digits, '_' and '-'; no '~', '|' or '+', which the string form uses).");
            if (!names.Add(o.Name)) throw bad($"op name '{o.Name}' is used twice; op names must be unique.");
            if (string.IsNullOrWhiteSpace(o.Description))
                throw bad($"op '{o.Name}' has no \"description\"; give a short English sentence (TG-NAS embeds it), e.g. \"Convolution 3 by 3\".");
            var prim = o.Primitive?.ToLowerInvariant() switch
            {
                "conv" => UserPrimitive.Conv, "sep_conv" => UserPrimitive.SepConv, "dil_conv" => UserPrimitive.DilConv,
                "avg_pool" => UserPrimitive.AvgPool, "max_pool" => UserPrimitive.MaxPool,
                "identity" => UserPrimitive.Identity, "zero" => UserPrimitive.Zero,
                null => throw bad($"op '{o.Name}' has no \"primitive\"; use one of conv, sep_conv, dil_conv, avg_pool, max_pool, identity, zero."),
                _ => throw bad($"op '{o.Name}' has unknown primitive '{o.Primitive}'; use one of conv, sep_conv, dil_conv, avg_pool, max_pool, identity, zero."),
            };
            bool sized = prim is not (UserPrimitive.Identity or UserPrimitive.Zero);
            int kernel = 0, dilation = 1;
            if (sized)
            {
                if (o.Kernel is not { } k) throw bad($"op '{o.Name}' ({o.Primitive}) needs a \"kernel\" size (an odd number, e.g. 3).");
                if (k < 1 || k > 11 || k % 2 == 0) throw bad($"op '{o.Name}' has kernel {k}; use an odd size in 1..11 so the resolution is kept.");
                kernel = k;
                if (prim == UserPrimitive.DilConv)
                {
                    dilation = o.Dilation ?? 2;
                    if (dilation < 1 || dilation > 8) throw bad($"op '{o.Name}' has dilation {dilation}; use 1..8.");
                }
                else if (o.Dilation is not null) throw bad($"op '{o.Name}': \"dilation\" applies only to dil_conv.");
            }
            else if (o.Kernel is not null || o.Dilation is not null) throw bad($"op '{o.Name}' ({o.Primitive}) takes no kernel or dilation.");
            ops.Add(new UserOp(o.Name, o.Description.Trim(), prim, kernel, dilation));
        }
        return ops;
    }

    // ---- architectures ----------------------------------------------------------------------------------------

    /// <summary>The architecture with op indices (into <see cref="UserOps"/>) per slot: per edge in (target, source) order, or per inner node.</summary>
    public Architecture FromOpIndices(IReadOnlyList<int> ops)
    {
        if (ops.Count != SlotCount) throw new NasInputException($"Space '{Name}' needs {SlotCount} op choices, got {ops.Count}.");
        foreach (var o in ops) if ((uint)o >= (uint)UserOps.Count) throw new NasInputException($"Op index {o} is not in 0..{UserOps.Count - 1}.");
        if (Placement == OpPlacement.Edges)
            return new Architecture(Name, NodeCount, _edges.Select((e, k) => new ArchEdge(e.From, e.To, UserOps[ops[k]].Name)));
        var nodeOps = new string[NodeCount];
        nodeOps[0] = ArchitectureConversion.InputOp;
        nodeOps[^1] = ArchitectureConversion.OutputOp;
        for (int k = 0; k < ops.Count; k++) nodeOps[k + 1] = UserOps[ops[k]].Name;
        return new Architecture(Name, NodeCount, _edges.Select(e => new ArchEdge(e.From, e.To)), nodeOps);
    }

    /// <summary>The op index per slot; throws <see cref="NasInputException"/> when the architecture is not of this space.</summary>
    public int[] OpIndices(Architecture arch)
    {
        if (arch.Space != Name || arch.Placement != Placement || arch.NodeCount != NodeCount || arch.Edges.Count != _edges.Length)
            throw new NasInputException($"Not an architecture of space '{Name}': {arch}.");
        var result = new int[SlotCount];
        int Index(string? op, string where) =>
            op is not null && _byName.TryGetValue(op, out var u) ? IndexOfOp(u)
                : throw new NasInputException($"Unknown op '{op}' {where} in space '{Name}'; known: {string.Join(", ", UserOps.Select(o => o.Name))}.");
        for (int k = 0; k < _edges.Length; k++)
        {
            var e = arch.Edges[k];
            if (e.From != _edges[k].From || e.To != _edges[k].To) throw new NasInputException($"Architecture has edge {e.From}->{e.To} where space '{Name}' has {_edges[k].From}->{_edges[k].To}.");
            if (Placement == OpPlacement.Edges) result[k] = Index(e.Op, $"on edge {e.From}->{e.To}");
        }
        if (Placement == OpPlacement.Nodes)
        {
            if (arch.NodeOps![0] != ArchitectureConversion.InputOp || arch.NodeOps[^1] != ArchitectureConversion.OutputOp)
                throw new NasInputException($"Space '{Name}': node 0 must be 'input' and node {NodeCount - 1} 'output'.");
            for (int k = 0; k < SlotCount; k++) result[k] = Index(arch.NodeOps[k + 1], $"on node {k + 1}");
        }
        return result;
    }

    private int IndexOfOp(UserOp op) { for (int i = 0; i < UserOps.Count; i++) if (ReferenceEquals(UserOps[i], op)) return i; return -1; }

    public UserOp Op(string name) => _byName.TryGetValue(name, out var o) ? o
        : throw new NasInputException($"Unknown op '{name}' in space '{Name}'; known: {string.Join(", ", UserOps.Select(x => x.Name))}.");

    // ---- string form ------------------------------------------------------------------------------------------

    public string Format(Architecture arch)
    {
        var ops = OpIndices(arch);
        var sb = new StringBuilder();
        if (Placement == OpPlacement.Nodes)
            return string.Join("+", ops.Select(o => $"|{UserOps[o].Name}|"));
        int? current = null;
        for (int k = 0; k < _edges.Length; k++)
        {
            var (from, to) = _edges[k];
            if (current != to) { if (current is not null) sb.Append("|+"); sb.Append('|'); current = to; }
            else sb.Append('|');
            sb.Append(UserOps[ops[k]].Name).Append('~').Append(from);
        }
        return sb.Append('|').ToString();
    }

    public Architecture Parse(string text)
    {
        string example = Placement == OpPlacement.Edges ? Format(FromOpIndices(new int[SlotCount])) : string.Join("+", Enumerable.Repeat($"|{UserOps[0].Name}|", SlotCount));
        NasInputException Bad(string why) => new($"Malformed '{Name}' architecture '{text}': {why}. Expected the form {example}");
        if (string.IsNullOrWhiteSpace(text)) throw Bad("it is empty");
        var groups = text.Trim().Split('+');
        foreach (var g in groups) if (g.Length < 2 || g[0] != '|' || g[^1] != '|') throw Bad($"group '{g}' must start and end with '|'");
        var ops = new int[SlotCount];
        if (Placement == OpPlacement.Nodes)
        {
            if (groups.Length != SlotCount) throw Bad($"it has {groups.Length} groups, the space has {SlotCount} inner nodes");
            for (int k = 0; k < SlotCount; k++) ops[k] = IndexOfOp(Op(groups[k][1..^1]));
            return FromOpIndices(ops);
        }
        var targets = _edges.Select(e => e.To).Distinct().ToArray();
        if (groups.Length != targets.Length) throw Bad($"it has {groups.Length} node groups, the space has {targets.Length} nodes with inputs");
        int slot = 0;
        for (int gi = 0; gi < groups.Length; gi++)
        {
            var items = groups[gi][1..^1].Split('|');
            var sources = _edges.Where(e => e.To == targets[gi]).Select(e => e.From).ToArray();
            if (items.Length != sources.Length) throw Bad($"node {targets[gi]} has {sources.Length} input(s), group {gi + 1} lists {items.Length}");
            var seen = new Dictionary<int, int>();
            foreach (var item in items)
            {
                var p = item.Split('~');
                if (p.Length != 2 || !int.TryParse(p[1], out var from) || !sources.Contains(from))
                    throw Bad($"'{item}' is not 'op~i' with i one of node {targets[gi]}'s inputs ({string.Join(", ", sources)})");
                if (!seen.TryAdd(from, IndexOfOp(Op(p[0])))) throw Bad($"node {targets[gi]} lists input {from} twice");
            }
            foreach (var s in sources) ops[slot++] = seen[s];
        }
        return FromOpIndices(ops);
    }

    // ---- sampling, enumeration, mutation ----------------------------------------------------------------------

    public Architecture Sample(Random rng)
    {
        var ops = new int[SlotCount];
        for (int k = 0; k < ops.Length; k++) ops[k] = rng.Next(UserOps.Count);
        return FromOpIndices(ops);
    }

    public IEnumerable<Architecture> Enumerate()
    {
        if (!CanEnumerate) throw new NasInputException($"Space '{Name}' has {(Size is { } s ? s.ToString("N0") : "more than 9.2e18")} architectures; only spaces of at most {MaxEnumerable:N0} are enumerated.");
        var ops = new int[SlotCount];
        for (long i = 0; i < Size!.Value; i++)
        {
            yield return FromOpIndices(ops);
            for (int k = ops.Length - 1; k >= 0; k--) { if (++ops[k] < UserOps.Count) break; ops[k] = 0; } // last slot fastest
        }
    }

    public IEnumerable<Architecture> Neighbours(Architecture arch)
    {
        var ops = OpIndices(arch);
        for (int k = 0; k < ops.Length; k++)
            for (int o = 0; o < UserOps.Count; o++)
            {
                if (o == ops[k]) continue;
                var copy = (int[])ops.Clone();
                copy[k] = o;
                yield return FromOpIndices(copy);
            }
    }

    public Architecture Mutate(Architecture arch, Random rng)
    {
        if (UserOps.Count < 2) throw new NasInputException($"Space '{Name}' has a single op; there is nothing to mutate.");
        var ops = OpIndices(arch);
        int k = rng.Next(ops.Length);
        ops[k] = (ops[k] + 1 + rng.Next(UserOps.Count - 1)) % UserOps.Count;
        return FromOpIndices(ops);
    }

    public bool IsValid(Architecture arch, out string? reason)
    {
        try { OpIndices(arch); reason = null; return true; }
        catch (NasInputException e) { reason = e.Message; return false; }
    }

    // ---- canonical form ---------------------------------------------------------------------------------------

    public string CanonicalHash(Architecture arch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(arch))).AsSpan(0, 16));

    /// <summary>
    /// The expansion of the output node (see the class summary); "[]" when the output is always zero. A node is the sorted
    /// multiset of its terms; identity passes its source's terms through (sums are flattened, since addition is associative).
    /// </summary>
    public string CanonicalForm(Architecture arch)
    {
        var ops = OpIndices(arch);
        var terms = new List<string>[NodeCount];
        terms[0] = ["in"];
        for (int j = 1; j < NodeCount; j++)
        {
            var t = new List<string>();
            for (int k = 0; k < _edges.Length; k++)
            {
                var (from, to) = _edges[k];
                if (to != j || terms[from].Count == 0) continue; // anything applied to zeros is zero
                var prim = Placement == OpPlacement.Nodes ? UserPrimitive.Identity : UserOps[ops[k]].Primitive;
                if (prim == UserPrimitive.Zero) continue;
                if (prim == UserPrimitive.Identity) t.AddRange(terms[from]);
                else t.Add($"{UserOps[ops[k]].Signature}({Join(terms[from])})");
            }
            t.Sort(StringComparer.Ordinal);
            if (Placement == OpPlacement.Nodes && j < NodeCount - 1 && t.Count > 0)
            {
                var op = UserOps[ops[j - 1]];
                if (op.Primitive == UserPrimitive.Zero) t.Clear();
                else if (op.Primitive != UserPrimitive.Identity) t = [$"{op.Signature}({Join(t)})"];
            }
            t.Sort(StringComparer.Ordinal);
            terms[j] = t;
        }
        return Join(terms[^1]);
    }

    private static string Join(List<string> terms) => "[" + string.Join("+", terms) + "]";

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$")]
    private static partial Regex OpNameRegex();
}
