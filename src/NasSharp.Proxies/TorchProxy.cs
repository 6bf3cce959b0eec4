using NasSharp.Proxies.Harness;
using NasSharp.Spaces;

namespace NasSharp.Proxies;

/// <summary>
/// Base of the TorchSharp zero-cost proxies: scores an architecture's benchmark network through a
/// <see cref="ProxySession"/>, so several proxies of one architecture share the network, the batch and the passes.
/// Every value goes through <see cref="Finish"/>: NaN or ±Inf become the NAS-Bench-Suite-Zero sentinel −1e8 with a warning.
/// </summary>
public abstract class TorchProxy : IProxy
{
    /// <summary>What NASLib stores for a NaN/±Inf score; we use the same value so our scores compare with the reference.</summary>
    public const double Fallback = -1e8;

    public abstract string Name { get; }
    /// <summary>One line: what the proxy computes (for help, docs and --json).</summary>
    public abstract string Description { get; }
    /// <summary>False for proxies that never read the data batch's images (data-free or shape-only): they can be scored,
    /// and validated, for a dataset whose images we do not have.</summary>
    public virtual bool UsesImages => true;

    public ProxyResult Score(Architecture arch, ProxyContext context)
    {
        using var session = ProxySession.ForArchitecture(arch, context);
        return Score(session);
    }

    public ProxyResult Score(ProxySession session)
    {
        var warnings = new List<string>();
        double v;
        try { v = Compute(session, warnings); }
        catch (Exception e) when (e is ArithmeticException || e.GetType().FullName == "System.Runtime.InteropServices.ExternalException")
        {
            // e.g. an eigen-solver that fails to converge on a degenerate matrix (the reference code's try/except → NaN).
            warnings.Add($"{Name}: computation failed ({e.Message.Split('\n')[0]})");
            v = double.NaN;
        }
        return Finish(v, warnings);
    }

    /// <summary>The raw score; add a warning for anything the user should know. May return NaN/Inf (mapped by the base).</summary>
    protected abstract double Compute(ProxySession session, List<string> warnings);

    internal ProxyResult Finish(double value, List<string> warnings)
    {
        if (double.IsFinite(value)) return new ProxyResult(value, warnings);
        warnings.Add($"{Name}: score was {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; replaced by the sentinel {Fallback:0e0} (NASLib convention)");
        return new ProxyResult(Fallback, warnings);
    }
}
