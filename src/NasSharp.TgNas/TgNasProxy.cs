using System.Collections.Concurrent;
using NasSharp.Proxies;
using NasSharp.Spaces;
using NasSharp.TgNas.Model;

namespace NasSharp.TgNas;

/// <summary>
/// TG-NAS as a zero-cost proxy ("tgnas"): the shipped NB101-trained predictor scores any space whose operators have
/// descriptions. The score is a predicted NB101-equivalent accuracy (%); only its ranking is meaningful across spaces.
/// Deterministic (the seed and dataset of the context do not change it: the predictor is dataset-agnostic).
/// </summary>
public sealed class TgNasProxy : IProxy
{
    private readonly Lazy<TgNasPredictor> _predictor;
    private readonly ConcurrentDictionary<string, TgNasScorer> _scorers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyDictionary<string, string>? _overrides;

    public TgNasProxy(string? weightsPath = null, IReadOnlyDictionary<string, string>? opOverrides = null)
    {
        _predictor = new(() => TgNasPredictor.Load(weightsPath ?? TgNasPredictor.DefaultPath));
        _overrides = opOverrides;
    }

    public TgNasProxy(TgNasPredictor predictor, IReadOnlyDictionary<string, string>? opOverrides = null)
    {
        _predictor = new(predictor);
        _overrides = opOverrides;
    }

    public string Name => "tgnas";

    public TgNasScorer ScorerFor(ISearchSpace space) =>
        _scorers.GetOrAdd(space.Name, _ => new TgNasScorer(_predictor.Value, space, _overrides));

    public ProxyResult Score(Architecture arch, ProxyContext context) =>
        ProxyResult.Of(ScorerFor(SearchSpaces.Get(arch.Space)).Score(arch));

    /// <summary>Scores many architectures of one space in batches (what searches and evaluations should call).</summary>
    public double[] ScoreMany(ISearchSpace space, IReadOnlyList<Architecture> archs) => ScorerFor(space).Score(archs);
}
