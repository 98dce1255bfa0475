namespace UpsAgent.Core.Processes;

/// <summary>Starting programs (shutdown and notify commands, hooks) behind a port tests can fake.</summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs the program to its end or until <paramref name="timeLimit"/>, after which it is killed
    /// with its children. Failing to start is reported as exit code 127 (as a shell does), not thrown.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan timeLimit, CancellationToken cancellationToken);
}
