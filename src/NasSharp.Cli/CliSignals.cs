using System.Runtime.InteropServices;

namespace NasSharp.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for the `nas` process: the first signal cancels <see cref="Token"/>, so the running
/// command stops at its next safe point (between epochs, steps, trials or rows), keeps what is finished and exits 130;
/// a second signal is left to the default action and ends the process at once.
/// </summary>
public sealed class CliSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TextWriter _stderr;
    private readonly PosixSignalRegistration[] _registrations;

    public CliSignals(TextWriter stderr)
    {
        _stderr = stderr;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_cancel.IsCancellationRequested) return; // second signal: the default action terminates the process
        context.Cancel = true;
        _stderr.WriteLine($"{context.Signal}: stopping at the next safe point and keeping finished work (send it again to quit at once).");
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
