using NasSharp.Distributed.Evaluators;
using NasSharp.Search.Running;

namespace NasSharp.Pipeline;

/// <summary>Registers the training evaluator as "train" for cluster workers and for in-process searches (idempotent).</summary>
public static class PipelineEvaluators
{
    public static void Register()
    {
        // Worker: `nas worker --evaluator train --data … --train-epochs …` (settings arrive as EvaluatorSettings.Options).
        WorkerEvaluators.Register("train", (s, _, _) =>
        {
            var e = new TrainingEvaluator(TrainingEvaluatorSettings.FromOptions(s.Options, s.DataDirectory, seed: 0));
            e.Preload(); // built once per (space, dataset) by the worker, e.g. on --preload: load the images then
            return e;
        });
        // In-process: `--option evaluator=train[:DATA] --option train_epochs=1 --option train_limit=500 …`.
        SearchEvaluators.Register("train", (request, data) =>
        {
            var options = new Dictionary<string, string>(request.Options, StringComparer.OrdinalIgnoreCase);
            if (!string.IsNullOrEmpty(data)) options["data"] = data;
            return new TrainingEvaluator(TrainingEvaluatorSettings.FromOptions(options, request.DataDirectory, request.Seed));
        }, TrainingEvaluatorSettings.OptionKeys);
    }

    /// <summary>A "train" worker checks its settings and data at start-up, not at its first trial.</summary>
    public static void CheckWorker(EvaluatorSettings s)
    {
        if (!s.Name.Equals("train", StringComparison.OrdinalIgnoreCase)) return;
        var t = TrainingEvaluatorSettings.FromOptions(s.Options, s.DataDirectory, seed: 0);
        using var probe = RunData.Load(t.Data, t.DataPath, t.DataDirectory, train: true, limit: 1);
    }
}
