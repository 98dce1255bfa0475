namespace UpsAgent.Shutdown.Execution;

/// <summary>
/// Work that must happen before the host goes down (quiesce RAID arrays, stop a backup at a safe
/// point, a configured command). Hooks run one after another in registration order, each bounded
/// by its time limit; a failing or hanging hook never blocks the shutdown.
/// </summary>
public sealed record ShutdownHook(string Name, TimeSpan TimeLimit, Func<CancellationToken, Task> RunAsync);
