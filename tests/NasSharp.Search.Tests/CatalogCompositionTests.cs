using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Search.Strategies.Bananas;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Search.Tests;

public class CatalogCompositionTests
{
    private static readonly ISearchSpace Space = Nb201Space.Instance;

    [Fact]
    public void RegisteredStrategy_IsFoundByName_RunsAsAProcedure_AndGetsTheDataset()
    {
        string? seenDataset = null;
        StrategyCatalog.Register(new StrategyDefinition("test-plugin", "a strategy from another library", [], c =>
        {
            seenDataset = c.Dataset;
            return new RandomSearch(c.Space, c.Seed);
        }));
        Assert.Contains(StrategyCatalog.All, d => d.Name == "test-plugin");
        var procedure = AskTellProcedure.Resolve("TEST-PLUGIN");
        var outcome = procedure.Run(new SearchRequest(Space, "cifar100", 1, 5, TestData.Directory));
        Assert.Equal(5, outcome.Evaluations);
        Assert.Equal("cifar100", seenDataset);
        Assert.Throws<InvalidOperationException>(() => StrategyCatalog.Register(new StrategyDefinition("re", "", [], c => new RandomSearch(c.Space, c.Seed))));
        Assert.Equal(["random", "re", "ls", "bananas"], StrategyCatalog.BuiltIn.Select(d => d.Name));
    }

    [Fact]
    public void Bananas_WithAnotherCandidateSource_RanksOnlyThatSourcesCandidates()
    {
        var source = new FixedCandidates();
        var strategy = new Bananas(Space, 2, new BananasOptions(InitialSamples: 5, BatchSize: 3, Candidates: 7, Ensemble: new MlpEnsembleOptions(Epochs: 10)), source, "custom");
        Assert.Equal("custom", strategy.Name);
        var eval = new SeparableObjective();
        var proposed = new List<string>();
        for (int i = 0; i < 11; i++)
        {
            var a = strategy.Ask();
            proposed.Add(Space.Format(a));
            strategy.Tell(a, eval.EvaluateAsync(a).Result);
        }
        Assert.Equal(2, source.Calls); // rounds after the 5 initial samples: proposals 6-8 and 9-11
        Assert.All(proposed.Skip(5), p => Assert.Contains(p, source.Given));
        Assert.Equal(proposed.Count, proposed.Distinct().Count());
    }

    /// <summary>Hands out 7 fresh random architectures per round and remembers them.</summary>
    private sealed class FixedCandidates : ICandidateSource
    {
        public int Calls { get; private set; }
        public HashSet<string> Given { get; } = [];

        public IReadOnlyList<Architecture> Propose(CandidateRequest request)
        {
            Calls++;
            var rng = new Random(100 + Calls);
            var list = new List<Architecture>();
            while (list.Count < request.Count)
            {
                var a = request.Space.Sample(rng);
                if (!request.IsSeen(a) && Given.Add(request.Space.Format(a))) list.Add(a);
            }
            return list;
        }
    }
}
