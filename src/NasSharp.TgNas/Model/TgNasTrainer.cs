using NasSharp.Ranking;
using NasSharp.TgNas.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.TgNas.Model;

/// <summary>Held-out quality of a trained predictor (on the training space's hold-out split).</summary>
public sealed record TgNasTrainingReport(int TrainRows, int HoldOutRows, double HoldOutKendall, double HoldOutSpearman, IReadOnlyList<double> MemberKendall, IReadOnlyList<int> BestEpochs, TimeSpan Wall);

/// <summary>
/// Trains the GCN on one space's accuracy table. All graphs are encoded once into dense tensors; a step gathers a
/// shuffled mini-batch by index. Each epoch the held-out Kendall τ is measured and the best epoch's weights are kept
/// (spec §5.2 keeps the best-τ checkpoint; we take τ on held-out training-space rows, not on the target space).
/// </summary>
public static class TgNasTrainer
{
    public static (TgNasPredictor Predictor, TgNasTrainingReport Report) Train(
        IReadOnlyList<CellGraph> graphs, IReadOnlyList<double> targets, OperatorTable table, TgNasTrainingOptions options,
        IReadOnlyDictionary<string, string>? info = null, IProgress<ProgressInfo>? progress = null)
    {
        options.Validate();
        if (graphs.Count != targets.Count) throw new ArgumentException("One target per graph.");
        if (graphs.Count < 10) throw new NasInputException($"TG-NAS training needs at least 10 labelled architectures, got {graphs.Count}.");
        if (targets.Any(t => !double.IsFinite(t))) throw new NasInputException("A training target is NaN or infinite; clean the table first.");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // One split for all members: the hold-out must be unseen by every network of the ensemble.
        var order = Enumerable.Range(0, graphs.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        int holdCount = options.HoldOut > 0 ? Math.Max(2, (int)Math.Round(graphs.Count * options.HoldOut)) : 0;
        var hold = order[..holdCount];
        var train = order[holdCount..];

        double mean = 0, std = 1;
        if (options.NormalizeTargets)
        {
            mean = train.Average(i => targets[i]);
            std = Math.Sqrt(train.Average(i => (targets[i] - mean) * (targets[i] - mean)));
            if (!(std > 1e-12)) std = 1;
        }
        var config = options.Model with { TargetMean = mean, TargetStd = std };

        // Encode every graph once; different sizes are grouped (NB101 is all N = 8).
        var groups = train.GroupBy(i => TgNasGraphBuilder.EncodedNodes(graphs[i].NodeCount))
            .Select(g => new EncodedSet(g.ToArray(), graphs, targets, table, mean, std)).ToList();
        EncodedSet? holdSet = hold.Length > 0 && hold.Select(i => TgNasGraphBuilder.EncodedNodes(graphs[i].NodeCount)).Distinct().Count() == 1
            ? new EncodedSet(hold, graphs, targets, table, mean, std) : null;
        var holdTruth = hold.Select(i => targets[i]).ToArray();
        using var tableTensor = tensor(table.Flatten(), [table.Rows, OperatorTable.Width]);

        // Networks are created one after another from the global torch seed (deterministic), then trained in parallel:
        // training uses no torch randomness (each member shuffles with its own System.Random), so the result does not
        // depend on the worker count or scheduling.
        var nets = new GcnNetwork[options.Members];
        for (int m = 0; m < options.Members; m++)
        {
            torch.manual_seed(options.Seed * 1000L + m);
            nets[m] = new GcnNetwork(config);
        }
        var memberTau = new double[options.Members];
        var bestEpochs = new int[options.Members];
        long totalSteps = (long)options.Members * options.Epochs, doneSteps = 0;
        var progressLock = new object();
        int threads = torch.get_num_threads();
        Parallel.For(0, options.Members, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers) }, m =>
        {
            torch.set_num_threads(threads);
            (memberTau[m], bestEpochs[m]) = TrainMember(nets[m], m, groups, holdSet, holdTruth, tableTensor, options, status =>
            {
                lock (progressLock) progress?.Report(new ProgressInfo(++doneSteps, totalSteps, $"net {m + 1}/{options.Members} {status}"));
            });
        });
        var members = nets.ToList();

        var allInfo = new Dictionary<string, string>(info ?? new Dictionary<string, string>());
        var predictor = new TgNasPredictor(config, members, allInfo);
        double ensTau = double.NaN, ensRho = double.NaN;
        if (holdSet is not null)
        {
            var p = predictor.Predict(GraphBatch.Encode(hold.Select(i => graphs[i]).ToArray(), table), table);
            ensTau = RankCorrelation.KendallTauB(p, holdTruth);
            ensRho = RankCorrelation.SpearmanRho(p, holdTruth);
            allInfo["holdout_kendall"] = ensTau.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
            allInfo["holdout_spearman"] = ensRho.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var g in groups) g.Dispose();
        holdSet?.Dispose();
        return (predictor, new TgNasTrainingReport(train.Length, hold.Length, ensTau, ensRho, memberTau, bestEpochs, clock.Elapsed));
    }

    private static (double BestTau, int BestEpoch) TrainMember(GcnNetwork net, int m, IReadOnlyList<EncodedSet> groups, EncodedSet? holdSet,
        double[] holdTruth, Tensor tableTensor, TgNasTrainingOptions options, Action<string> report)
    {
        var rng = new Random(unchecked(options.Seed * 7919 + m * 104729 + 17)); // not HashCode.Combine: that is randomised per process
        var optimizer = optim.AdamW(net.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var scheduler = optim.lr_scheduler.StepLR(optimizer, options.StepSize > 0 ? options.StepSize : Math.Max(1, (int)Math.Round(options.Epochs * 0.4)), options.Gamma);
        double bestTau = double.NegativeInfinity;
        int bestEpoch = 0;
        Dictionary<string, Tensor>? best = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            net.train();
            foreach (var (set, batch) in Batches(groups, options.BatchSize, rng))
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                using var idx = tensor(batch);
                var pred = net.Forward(tableTensor, set.Ops.index_select(0, idx), set.Adjacency.index_select(0, idx));
                var y = set.Targets.index_select(0, idx);
                var loss = nn.functional.mse_loss(pred, y);
                if (options.RankWeight > 0) loss = loss + options.RankWeight * PairwiseRankLoss(pred, y);
                loss.backward();
                optimizer.step();
            }
            scheduler.step();
            if (holdSet is not null)
            {
                double tau = RankCorrelation.KendallTauB(PredictSet(net, tableTensor, holdSet), holdTruth);
                if (tau > bestTau)
                {
                    bestTau = tau; bestEpoch = epoch;
                    DisposeState(best);
                    best = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                }
            }
            report($"epoch {epoch} best held-out τ {bestTau:F3}");
        }
        if (best is not null) { net.load_state_dict(best); DisposeState(best); }
        else bestEpoch = options.Epochs;
        net.eval();
        return (bestTau, bestEpoch);
    }

    /// <summary>Mean pairwise logistic loss over the batch pairs whose labels differ: log(1 + exp(−sign(yᵢ−yⱼ)(pᵢ−pⱼ))).</summary>
    internal static Tensor PairwiseRankLoss(Tensor pred, Tensor y)
    {
        var dp = pred.unsqueeze(1) - pred.unsqueeze(0);
        var sign = (y.unsqueeze(1) - y.unsqueeze(0)).sign();
        var mask = sign.ne(0);
        var losses = nn.functional.softplus(-sign * dp).masked_select(mask);
        return losses.numel() > 0 ? losses.mean() : pred.sum() * 0;
    }

    private static double[] PredictSet(GcnNetwork net, Tensor table, EncodedSet set)
    {
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return net.Forward(table, set.Ops, set.Adjacency).to_type(ScalarType.Float64).data<double>().ToArray();
    }

    private static IEnumerable<(EncodedSet Set, long[] Batch)> Batches(IReadOnlyList<EncodedSet> groups, int batchSize, Random rng)
    {
        var all = new List<(EncodedSet, long[])>();
        foreach (var g in groups)
        {
            var perm = Enumerable.Range(0, g.Count).Select(i => (long)i).ToArray();
            rng.Shuffle(perm);
            for (int s = 0; s < perm.Length; s += batchSize)
            {
                var b = perm[s..Math.Min(perm.Length, s + batchSize)];
                if (b.Length >= 2) all.Add((g, b)); // BatchNorm needs more than one graph
            }
        }
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all;
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
    }

    /// <summary>Graphs of one encoded size as resident tensors, with z-scored targets.</summary>
    private sealed class EncodedSet : IDisposable
    {
        public EncodedSet(int[] rows, IReadOnlyList<CellGraph> graphs, IReadOnlyList<double> targets, OperatorTable table, double mean, double std)
        {
            var batch = GraphBatch.Encode(rows.Select(i => graphs[i]).ToArray(), table);
            Count = rows.Length;
            Ops = tensor(batch.Ops, [Count, batch.Nodes]).DetachFromDisposeScope();
            Adjacency = tensor(batch.Adjacency, [Count, batch.Nodes, batch.Nodes]).DetachFromDisposeScope();
            Targets = tensor(rows.Select(i => (float)((targets[i] - mean) / std)).ToArray()).DetachFromDisposeScope();
        }

        public int Count { get; }
        public Tensor Ops { get; }
        public Tensor Adjacency { get; }
        public Tensor Targets { get; }

        public void Dispose() { Ops.Dispose(); Adjacency.Dispose(); Targets.Dispose(); }
    }
}
