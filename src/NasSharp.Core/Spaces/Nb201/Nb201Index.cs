namespace NasSharp.Spaces.Nb201;

/// <summary>
/// The official NAS-Bench-201 / NATS-Bench (tss) index: NB201 listed all cells in gen_all order and shuffled the list
/// with Python's <c>random.seed(88); random.shuffle(...)</c>. We replay that shuffle, so the mapping needs no data file.
/// </summary>
public static class Nb201Index
{
    private static readonly Lazy<(int[] CodeOfIndex, int[] IndexOfCode)> Tables = new(Build);

    private static (int[], int[]) Build()
    {
        var codes = Enumerable.Range(0, Nb201Space.SpaceSize).ToArray();
        new PythonMersenneTwister(88).Shuffle(codes);
        var index = new int[codes.Length];
        for (int i = 0; i < codes.Length; i++) index[codes[i]] = i;
        return (codes, index);
    }

    public static Architecture ToArchitecture(int index)
    {
        if ((uint)index >= Nb201Space.SpaceSize)
            throw new NasInputException($"NB201 index {index} is out of range; valid indices are 0..{Nb201Space.SpaceSize - 1}.");
        return Nb201Space.FromCode(Tables.Value.CodeOfIndex[index]);
    }

    /// <summary>The NB201 string of an index, built straight from the op code (no Architecture allocated).</summary>
    public static string Format(int index)
    {
        if ((uint)index >= Nb201Space.SpaceSize)
            throw new NasInputException($"NB201 index {index} is out of range; valid indices are 0..{Nb201Space.SpaceSize - 1}.");
        return Nb201Space.FormatCode(Tables.Value.CodeOfIndex[index]);
    }

    public static int ToIndex(Architecture arch) => Tables.Value.IndexOfCode[Nb201Space.Code(arch)];
}
