using System.Diagnostics;
using UpsAgent.Core.Processes;

namespace UpsAgent.Backup.Tests.Media;

/// <summary>Starts the real program for interop tests (the executable wires the agent's own runner).</summary>
internal sealed class ToolProcessRunner : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(spec.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in spec.Arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach ((string k, string v) in spec.Environment)
        {
            start.Environment[k] = v;
        }

        var clock = Stopwatch.StartNew();
        using Process p = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {spec.FileName}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        try
        {
            await p.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return new ProcessResult(-1, true, "", clock.Elapsed);
        }

        return new ProcessResult(p.ExitCode, false, await stdout + await stderr, clock.Elapsed);
    }
}
