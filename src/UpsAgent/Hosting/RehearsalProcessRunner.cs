using UpsAgent.Core.Processes;

namespace UpsAgent.Hosting;

/// <summary>Used by "shutdown simulate": records what would be started and starts nothing.</summary>
public sealed class RehearsalProcessRunner : IProcessRunner
{
    public event Action<ProcessSpec>? WouldRun;

    public Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        WouldRun?.Invoke(spec);
        return Task.FromResult(new ProcessResult(0, false, string.Empty, TimeSpan.Zero));
    }
}
