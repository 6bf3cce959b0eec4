using System.Text;
using NasSharp.Ranking;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb101;
using NasSharp.Spaces.Nb201;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;

namespace NasSharp.TgNas.Tests;

public class ModelTests
{
    private static TgNasPredictor Untrained(int members = 1, int hidden = 64, long seed = 1)
    {
        TorchSharp.torch.manual_seed(seed);
        var config = new TgNasConfig { Hidden = hidden, TargetMean = 90, TargetStd = 5 };
        return new TgNasPredictor(config, Enumerable.Range(0, members).Select(_ => new GcnNetwork(config)).ToArray());
    }

    private static TgNasScorer Scorer(TgNasPredictor p, ISearchSpace space) => new(p, space, cache: SharedEncoder.Cache);

    [Fact]
    public void Relabelling_the_nodes_of_a_cell_does_not_change_the_score()
    {
        var scorer = Scorer(Untrained(), Nb101Space.Instance);
        // the same cell with its two middle branches numbered the other way round
        var a = Nb101Space.Instance.Parse("0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output");
        var b = Nb101Space.Instance.Parse("0110000010000100000100000:input,maxpool3x3,conv3x3-bn-relu,conv1x1-bn-relu,output");
        Assert.Equal(Nb101Space.Instance.CanonicalHash(a), Nb101Space.Instance.CanonicalHash(b));
        var different = Nb101Space.Instance.Parse("0110000010000100000100000:input,maxpool3x3,maxpool3x3,conv1x1-bn-relu,output");
        var s = scorer.Score([a, b, different]);
        Assert.Equal(s[0], s[1], 5);
        Assert.NotEqual(s[0], s[2], 5); // the test can fail: a different cell scores differently
    }

    [Fact]
    public void Permuting_the_nodes_of_an_nb201_graph_does_not_change_the_score()
    {
        var scorer = new TgNasScorer(Untrained(), Nb201Space.Instance, cache: SharedEncoder.Cache, graphMode: GraphMode.Paper); // all 8 nodes kept
        var g = scorer.Builder.Build(Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"));
        int[] perm = [5, 2, 7, 0, 3, 6, 1, 4]; // old node i becomes node perm[i]
        var desc = new string[g.NodeCount];
        for (int i = 0; i < g.NodeCount; i++) desc[perm[i]] = g.NodeDescriptions[i];
        var permuted = new CellGraph(desc, g.Edges.Select(e => (perm[e.From], perm[e.To])).ToArray());
        var reversed = new CellGraph(g.NodeDescriptions, g.Edges.Select(e => (e.To, e.From)).ToArray());
        var s = scorer.ScoreGraphs([g, permuted, reversed]);
        Assert.Equal(s[0], s[1], 5);
        Assert.NotEqual(s[0], s[2], 5); // edge direction matters, so the test can fail
    }

    [Fact]
    public void Folded_batchnorm_inference_equals_the_eval_mode_forward()
    {
        var p = Untrained(members: 1);
        var net = p.Members[0];
        // non-trivial running statistics, as after training
        net.train();
        var scorer = Scorer(p, Nb201Space.Instance);
        var batch = GraphBatch.Encode(Enumerable.Range(0, 64).Select(i => scorer.Builder.Build(Nb201Index.ToArchitecture(i * 241))).Where(g => g.NodeCount <= 7).ToArray(), scorer.Table);
        using var t = TorchSharp.torch.tensor(scorer.Table.Flatten(), [scorer.Table.Rows, OperatorTable.Width]);
        using var ops = TorchSharp.torch.tensor(batch.Ops, [batch.Count, batch.Nodes]);
        using var adj = TorchSharp.torch.tensor(batch.Adjacency, [batch.Count, batch.Nodes, batch.Nodes]);
        for (int i = 0; i < 3; i++) net.Forward(t, ops, adj);
        net.eval();
        using var noGrad = TorchSharp.torch.no_grad();
        var slow = net.Forward(t, ops, adj).data<float>().ToArray();
        var fast = net.Infer(t, ops, adj).data<float>().ToArray();
        for (int i = 0; i < slow.Length; i++) Assert.Equal(slow[i], fast[i], 4);
        Assert.True(slow.Distinct().Count() > 1); // the graphs differ, so equal outputs are not trivial
    }

    [Fact]
    public void Batched_scores_equal_one_by_one_scores()
    {
        var scorer = Scorer(Untrained(members: 2), Nb201Space.Instance);
        var archs = Enumerable.Range(0, 50).Select(i => Nb201Index.ToArchitecture(i * 311)).ToArray();
        var batched = scorer.Score(archs);
        for (int i = 0; i < archs.Length; i += 7) Assert.Equal(batched[i], scorer.Score(archs[i]), 5);
    }

    [Fact]
    public void Weights_round_trip_through_a_file()
    {
        var p = Untrained(members: 2);
        var path = Path.GetTempFileName();
        try
        {
            p.Save(path);
            using var q = TgNasPredictor.Load(path);
            Assert.Equal(2, q.Members.Count);
            Assert.Equal(p.Config, q.Config);
            var archs = Enumerable.Range(0, 30).Select(i => Nb201Index.ToArchitecture(i * 500)).ToArray();
            Assert.Equal(Scorer(p, Nb201Space.Instance).Score(archs), Scorer(q, Nb201Space.Instance).Score(archs));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Weights_of_another_shape_or_model_or_format_are_input_errors()
    {
        var path = Path.GetTempFileName();
        try
        {
            Untrained(hidden: 32).Save(path);
            // claim 64 hidden units while the tensors have 32: same byte length; the SHA-256 of format 2 catches the edit first
            var bytes = File.ReadAllBytes(path);
            var text = Encoding.Latin1.GetString(bytes);
            int at = text.IndexOf("\"hidden\":32", StringComparison.Ordinal);
            Assert.True(at > 0);
            Encoding.ASCII.GetBytes("\"hidden\":64").CopyTo(bytes, at);
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<NasDataException>(() => TgNasPredictor.Load(path));
            Assert.Contains("SHA-256", e.Message);
            Assert.Contains(path, e.Message);

            var other = new TgNasPredictor(new TgNasConfig { EmbeddingModel = "all-mpnet-base-v2" }, [new GcnNetwork(new TgNasConfig())]);
            other.Save(path);
            Assert.Contains("all-mpnet-base-v2", Assert.Throws<NasDataException>(() => TgNasPredictor.Load(path)).Message);

            File.WriteAllText(path, "not a weights file");
            Assert.Throws<NasDataException>(() => TgNasPredictor.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_graph_larger_than_the_model_supports_is_an_input_error()
    {
        var scorer = Scorer(Untrained(), Nb201Space.Instance);
        // 6 edges × 16 parallel copies of the 5 ops: even without the zero and identity copies (data-flow graph) > 40 op nodes
        var edges = Nb201Space.EdgeOrder.SelectMany(e => Enumerable.Range(0, 16).Select(k => new ArchEdge(e.From, e.To, Nb201Space.Ops[k % 5].Name))).ToList();
        var big = new Architecture("nb201", 4, edges);
        var e = Assert.Throws<NasInputException>(() => scorer.Score(big));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public void Training_on_a_small_nb101_set_beats_random_ranking()
    {
        var data = TgNasTrainingData.Load("nb101", TestData.Directory, limit: 1500);
        var builder = new TgNasGraphBuilder(data.Space);
        var table = new OperatorTable(builder.Descriptions.Values, SharedEncoder.Cache);
        var graphs = data.Architectures.Select(builder.Build).ToArray();
        // train on the first 1000, test on the 500 the trainer never sees
        var options = new TgNasTrainingOptions { Epochs = 12, Seed = 3, HoldOut = 0.1, RankWeight = 0.5 };
        var (predictor, report) = TgNasTrainer.Train(graphs[..1000], data.Targets.Take(1000).ToArray(), table, options);
        var scores = new TgNasScorer(predictor, data.Space, cache: SharedEncoder.Cache).ScoreGraphs(graphs[1000..]);
        double tau = RankCorrelation.KendallTauB(scores, data.Targets.Skip(1000).ToArray());
        // random ranking has τ ≈ 0 with sd ≈ 0.03 at n = 500; a working predictor reaches well above 0.3
        Assert.True(tau > 0.3, $"Kendall τ on unseen NB101 cells {tau:F3}");
        Assert.True(report.HoldOutKendall > 0.2, $"held-out τ {report.HoldOutKendall:F3}");
    }
}
