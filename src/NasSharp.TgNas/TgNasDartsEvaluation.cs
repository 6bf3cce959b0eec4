using NasSharp.Ranking;
using NasSharp.Spaces.Darts;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas;

/// <summary>TG-NAS's rank agreement with NB301's surrogate accuracy in one DARTS graph mode.</summary>
public sealed record DartsModeCorrelation(DartsGraphMode Mode, double Kendall, double Spearman, double TopPredictedAccuracy);

/// <summary>A classic zero-cost proxy's rank agreement, recomputed from the same file's columns.</summary>
public sealed record DartsProxyCorrelation(string Proxy, double Kendall, double Spearman);

public sealed record TgNasDartsEvaluationResult(int Count, IReadOnlyList<DartsModeCorrelation> Modes, IReadOnlyList<DartsProxyCorrelation> Proxies,
                                                double BestAccuracy, double ScoringSeconds);

/// <summary>
/// TG-NAS on the 725 genotypes of <c>zc/zc_nb301.csv.gz</c> (evaluation only: nothing here trains, tunes or selects), scored
/// by the NB101-trained predictor in every <see cref="DartsGraphMode"/>, next to the file's classic proxies.
/// </summary>
public static class TgNasDartsEvaluation
{
    public static TgNasDartsEvaluationResult Evaluate(TgNasPredictor predictor, string dataDirectory, IReadOnlyDictionary<string, string>? opOverrides = null,
                                                      IReadOnlyList<DartsGraphMode>? modes = null, EmbeddingCache? cache = null,
                                                      IProgress<ProgressInfo>? progress = null)
    {
        var table = DartsZcTable.Load(dataDirectory);
        var truth = table.ValAccuracy.ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<DartsModeCorrelation>();
        var modeList = modes ?? Enum.GetValues<DartsGraphMode>();
        foreach (var mode in modeList)
        {
            progress?.Report(new ProgressInfo(results.Count, modeList.Count, $"graph mode {mode.ToString().ToLowerInvariant()}"));
            var scorer = new TgNasScorer(predictor, DartsSpace.Instance, opOverrides, cache, mode);
            var scores = scorer.MeanOfViews(table.Genotypes.Select(scorer.Builder.BuildDarts).ToArray());
            var (rho, tau) = table.Correlate(scores);
            results.Add(new DartsModeCorrelation(mode, tau, rho, truth[RankCorrelation.TopIndices(scores, 1)[0]]));
        }
        progress?.Report(new ProgressInfo(results.Count, modeList.Count));
        double seconds = clock.Elapsed.TotalSeconds;
        var proxies = DartsZcTable.Proxies.Select(p =>
        {
            var (rho, tau) = table.Correlate(table.Proxy(p));
            return new DartsProxyCorrelation(p, tau, rho);
        }).OrderByDescending(p => p.Spearman).ToArray();
        return new TgNasDartsEvaluationResult(table.Count, results, proxies, truth.Max(), seconds);
    }
}
