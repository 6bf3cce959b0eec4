using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Evaluators;
using NasSharp.Distributed.Orleans;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

public sealed class WorkerRuntimeTests
{
    [Fact]
    public async Task A_repeated_attempt_reattaches_to_the_running_evaluation_instead_of_starting_it_again()
    {
        using var runtime = new WorkerRuntime(new WorkerSettings(2, new EvaluatorSettings("benchmark", TestData.Directory) { Delay = TimeSpan.FromSeconds(2) }));
        runtime.Preload("nb201", "cifar10");
        string arch = Nb201Space.Instance.Format(Nb201Space.FromOpIndices([3, 3, 1, 3, 1, 3]));
        var request = new TrialRequest("s", 7, 1, "nb201", "cifar10", arch);

        // The coordinator gives up waiting (it was killed, or timed out) while the trial runs. The token is cancelled up
        // front, not by a timer: on a loaded machine a 100 ms timer could fire after the evaluation had finished.
        using (var cts = new CancellationTokenSource())
        {
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.RunAsync(request, cts.Token));
        }
        // ...the evaluation goes on without the caller (it takes 2 s; allow its start to be scheduled late)...
        var deadline = DateTime.UtcNow.AddSeconds(1.5);
        while (runtime.Running.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Single(runtime.Running);
        // ...and a restarted coordinator asks for the same attempt: it gets the same evaluation's result.
        var result = await runtime.RunAsync(request, default);
        Assert.False(result.Failed);
        Assert.Equal(1, runtime.Completed);
        Assert.Equal(result, await runtime.RunAsync(request, default)); // finished attempts are remembered too
        Assert.Equal(1, runtime.Completed);

        // A new attempt number (a retry) is a new evaluation.
        await runtime.RunAsync(request with { Attempt = 2 }, default);
        Assert.Equal(2, runtime.Completed);
    }

    [Fact]
    public async Task Evaluation_errors_come_back_as_failed_results_not_exceptions()
    {
        string arch = Nb201Space.Instance.Format(Nb201Space.FromOpIndices([1, 2, 3, 4, 0, 1]));
        using var runtime = new WorkerRuntime(new WorkerSettings(1, new EvaluatorSettings("benchmark", TestData.Directory) { Poisoned = new HashSet<string> { arch } }));
        var result = await runtime.RunAsync(new TrialRequest("s", 0, 1, "nb201", "cifar10", arch), default);
        Assert.True(result.Failed);
        Assert.Contains("poisoned", result.Error);
        Assert.Equal(1, runtime.Failed);
        var bad = await runtime.RunAsync(new TrialRequest("s", 1, 1, "nb201", "cifar10", "not an architecture"), default);
        Assert.True(bad.Failed);
    }
}
