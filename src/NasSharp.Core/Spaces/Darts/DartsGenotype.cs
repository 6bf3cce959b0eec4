namespace NasSharp.Spaces.Darts;

/// <summary>One entry of a DARTS cell: the op applied to the output of node <see cref="Input"/> (0 = c_{k-2}, 1 = c_{k-1}, 2..5 = intermediate nodes).</summary>
public readonly record struct DartsEntry(string Op, int Input);

/// <summary>
/// A DARTS genotype: a normal and a reduction cell, each with 4 intermediate nodes (2..5) fed by 2 entries each, listed
/// in the usual DARTS order (entries 2m and 2m+1 feed node m+2), and the nodes concatenated into the cell output.
/// </summary>
public sealed record DartsGenotype(
    IReadOnlyList<DartsEntry> Normal, IReadOnlyList<int> NormalConcat,
    IReadOnlyList<DartsEntry> Reduce, IReadOnlyList<int> ReduceConcat)
{
    public const int IntermediateNodes = 4, EntriesPerCell = 8;
    public static readonly IReadOnlyList<int> FullConcat = [2, 3, 4, 5];

    public DartsGenotype(IReadOnlyList<DartsEntry> normal, IReadOnlyList<DartsEntry> reduce)
        : this(normal, FullConcat, reduce, FullConcat) { }

    public IReadOnlyList<DartsEntry> Cell(bool reduction) => reduction ? Reduce : Normal;
    public IReadOnlyList<int> Concat(bool reduction) => reduction ? ReduceConcat : NormalConcat;

    public bool Equals(DartsGenotype? other) =>
        other is not null && Normal.SequenceEqual(other.Normal) && Reduce.SequenceEqual(other.Reduce) &&
        NormalConcat.SequenceEqual(other.NormalConcat) && ReduceConcat.SequenceEqual(other.ReduceConcat);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var e in Normal) h.Add(e);
        foreach (var e in Reduce) h.Add(e);
        foreach (var c in NormalConcat) h.Add(c);
        foreach (var c in ReduceConcat) h.Add(c);
        return h.ToHashCode();
    }

    private static DartsEntry E(string op, int input) => new(op, input);

    /// <summary>DARTS (second order), "DARTS_V2" of the DARTS repository's genotypes.py (Liu et al., ICLR 2019): 3.3 M params on CIFAR-10.</summary>
    public static DartsGenotype DartsV2 { get; } = new(
        [E("sep_conv_3x3", 0), E("sep_conv_3x3", 1), E("sep_conv_3x3", 0), E("sep_conv_3x3", 1),
         E("sep_conv_3x3", 1), E("skip_connect", 0), E("skip_connect", 0), E("dil_conv_3x3", 2)],
        [E("max_pool_3x3", 0), E("max_pool_3x3", 1), E("skip_connect", 2), E("max_pool_3x3", 1),
         E("max_pool_3x3", 0), E("skip_connect", 2), E("skip_connect", 2), E("max_pool_3x3", 1)]);

    /// <summary>DARTS (first order), "DARTS_V1" of the DARTS repository's genotypes.py.</summary>
    public static DartsGenotype DartsV1 { get; } = new(
        [E("sep_conv_3x3", 1), E("sep_conv_3x3", 0), E("skip_connect", 0), E("sep_conv_3x3", 1),
         E("skip_connect", 0), E("sep_conv_3x3", 1), E("sep_conv_3x3", 0), E("skip_connect", 2)],
        [E("max_pool_3x3", 0), E("max_pool_3x3", 1), E("skip_connect", 2), E("max_pool_3x3", 0),
         E("max_pool_3x3", 0), E("skip_connect", 2), E("skip_connect", 2), E("avg_pool_3x3", 0)]);
}
