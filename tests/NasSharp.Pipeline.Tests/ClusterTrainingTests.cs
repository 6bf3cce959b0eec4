using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using NasSharp.Distributed;
using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Evaluators;
using NasSharp.Distributed.Orleans;
using NasSharp.Distributed.Security;
using NasSharp.Pipeline;
using NasSharp.Search.Running;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Pipeline.Tests;

/// <summary>
/// `nas run --cluster` with a worker that trains (`nas worker --evaluator train`): an Orleans silo in this process
/// runs the "train" evaluator on a tiny budget; the search's trials are real trainings, recorded in the run directory.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ClusterTrainingTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task A_run_searches_on_a_training_worker_and_its_scores_are_real_trainings()
    {
        PipelineEvaluators.Register();
        AskTellProcedure.RegisterAll();
        var p = FreePorts(2);
        var spec = ClusterSpec.Parse($"localhost:{p[0]}:{p[1]}", "run-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new Dictionary<string, string> { ["data"] = "fashion-mnist", ["train_limit"] = "64", ["valid_limit"] = "64", ["batch"] = "32", ["seed"] = "1" };
        var worker = new WorkerSettings(1, new EvaluatorSettings("train", TestData.Directory) { Options = options });
        var secret = ClusterSecret.Generate();
        using var silo = WorkerSilo.Build(spec, new SiloEndpoints(p[0], p[1]), worker, secret);
        await WorkerSilo.StartAsync(silo);
        try
        {
            var settings = new RunSettings("nb201", "random", 2, _tmp.Path, TestData.Directory)
            {
                Budget = 2, Epochs = 1, BatchSize = 32, TrainLimit = 64, TestLimit = 64, Threads = 1,
            };
            var stage = new ClusterSearchStage(new ClusterRunOptions(spec.ToString(), secret) { ClusterId = spec.ClusterId, Parallelism = 1, Order = TellOrder.Deterministic });
            var result = new RunPipeline(stage, new TorchTrainStage(), new OnnxExportStage(), new DirectRunner()).Run(settings);

            Assert.StartsWith("cluster", result.Search.RanOn);
            Assert.Equal(2, result.Search.Evaluations);
            Assert.Equal(2, result.Search.Candidates.Count);
            Assert.True(result.Export.Verified);
            // The worker's score is the training evaluator's: the same training here gives the same accuracy.
            var best = result.Search.Candidates.MaxBy(c => c.Score)!;
            using var local = new TrainingEvaluator(TrainingEvaluatorSettings.FromOptions(options, TestData.Directory, 0));
            var again = await local.EvaluateAsync(Nb201Space.Instance.Parse(best.Arch));
            Assert.Equal(again.Score, best.Score);
            Assert.True(File.Exists(Path.Combine(_tmp.Path, ClusterSearchStage.StoreFile)));
        }
        finally { await silo.StopAsync(TimeSpan.FromSeconds(5)); }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }
}
