namespace UpsAgent.Core.Processes;

/// <summary>How a started program ended. A program killed at its time limit has <see cref="TimedOut"/> set.</summary>
public sealed record ProcessResult(int ExitCode, bool TimedOut, string Output, TimeSpan Duration)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;
}
