using NasSharp.Proxies.Measures;

namespace NasSharp.Proxies;

/// <summary>The zero-cost proxies by name (NASLib names; "jacob_cov", "naswot" and "synflow" spellings accepted).</summary>
public static class ProxyRegistry
{
    private static readonly TorchProxy[] Proxies =
    [
        new GradNormProxy(), new SnipProxy(), new GraspProxy(), new FisherProxy(), new JacovProxy(), new SynflowProxy(),
        new NaswotProxy(), new ZenProxy(), new EpeNasProxy(), new L2NormProxy(), new ParamsProxy(), new FlopsProxy(),
        new PlainProxy(), new ZicoProxy(), new MecoProxy(),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jacob_cov"] = "jacov", ["naswot"] = "nwot", ["epe-nas"] = "epe_nas", ["epenas"] = "epe_nas",
        ["gradnorm"] = "grad_norm", ["l2norm"] = "l2_norm",
    };

    public static IReadOnlyList<TorchProxy> All => Proxies;
    public static IReadOnlyList<string> Names { get; } = Proxies.Select(p => p.Name).ToArray();

    public static TorchProxy Get(string name)
    {
        var key = Aliases.GetValueOrDefault(name.Trim(), name.Trim());
        return Proxies.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new NasInputException($"Unknown proxy '{name}'; available: {string.Join(", ", Names)} (or 'all').");
    }

    /// <summary>Parses "a,b,c" or "all" into proxies (duplicates removed, order kept).</summary>
    public static IReadOnlyList<TorchProxy> Parse(string list)
    {
        if (string.IsNullOrWhiteSpace(list)) throw new NasInputException("No proxy given; use --proxies NAME[,NAME…] or 'all'.");
        if (list.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return Proxies;
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Get).Distinct().ToList();
    }
}
