using NasSharp.Search;
using NasSharp.Spaces.Nb101;
using NasSharp.Spaces.Nb201;
using NasSharp.TgNas.Model;
using NasSharp.TgNas.Search;

namespace NasSharp.TgNas.Tests;

public sealed class SearchTests : IDisposable
{
    private readonly string _weights = Path.GetTempFileName();

    public SearchTests()
    {
        TorchSharp.torch.manual_seed(5);
        var config = new TgNasConfig { TargetMean = 90, TargetStd = 5 };
        new TgNasPredictor(config, [new GcnNetwork(config)]).Save(_weights);
    }

    public void Dispose() => File.Delete(_weights);

    private SearchRequest Request(int seed, int budget = 0) =>
        new(Nb201Space.Instance, "cifar10", seed, budget, TestData.Directory) { Options = new Dictionary<string, string> { ["weights"] = _weights } };

    [Fact]
    public void Pruning_ends_with_one_op_per_edge_after_the_te_nas_number_of_evaluations()
    {
        var outcome = new TgNasPruneSearch().Run(Request(0));
        Assert.Equal(6, outcome.Best.Edges.Count);
        Assert.True(Nb201Space.Instance.IsValid(outcome.Best, out _));
        Assert.Equal(30 + 24 + 18 + 12 + 1, outcome.Evaluations);
        Assert.Equal(Nb201Space.Instance.Format(outcome.Best), Nb201Space.Instance.Format(new TgNasPruneSearch().Run(Request(0)).Best));
    }

    [Fact]
    public void Evolution_respects_the_budget_is_seeded_and_returns_its_best_scored_arch()
    {
        var a = new TgNasEvolutionSearch().Run(Request(7, budget: 120));
        var b = new TgNasEvolutionSearch().Run(Request(7, budget: 120));
        Assert.True(a.Evaluations <= 120);
        Assert.Equal(Nb201Space.Instance.Format(a.Best), Nb201Space.Instance.Format(b.Best));
        Assert.Equal(a.BestScore, a.Trajectory.Max(), 10);
        var proxy = new TgNasProxy(TgNasPredictor.Load(_weights));
        Assert.Equal(a.BestScore, proxy.Score(a.Best, new NasSharp.Proxies.ProxyContext()).Value, 5);
    }

    [Fact]
    public void Pruning_a_space_with_ops_on_nodes_is_an_input_error()
    {
        var request = Request(0) with { Space = Nb101Space.Instance };
        Assert.Throws<NasInputException>(() => new TgNasPruneSearch().Run(request));
    }

    [Fact]
    public void Search_report_adds_the_true_accuracy_from_the_table()
    {
        var request = Request(0);
        var outcome = new TgNasPruneSearch().Run(request);
        var report = TgNasSearchReport.Describe(outcome, request);
        Assert.IsType<double>(report["test_accuracy"]);
        Assert.Equal(94.37, (double)report["best_test_accuracy"]!, 2);
        var noTable = TgNasSearchReport.Describe(outcome, request with { DataDirectory = Path.GetTempPath() });
        Assert.Null(noTable["test_accuracy"]);
    }
}
