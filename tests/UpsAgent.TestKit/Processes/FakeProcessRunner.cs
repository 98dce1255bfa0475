using System.Collections.Concurrent;
using UpsAgent.Core.Processes;

namespace UpsAgent.TestKit.Processes;

/// <summary>Records every program the code under test would start, and answers with a scripted result.</summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    public ConcurrentQueue<ProcessSpec> Started { get; } = new();

    /// <summary>Decides the outcome per call; by default every program succeeds at once.</summary>
    public Func<ProcessSpec, TimeSpan, CancellationToken, Task<ProcessResult>> Behaviour { get; set; } =
        (_, _, _) => Task.FromResult(new ProcessResult(0, false, string.Empty, TimeSpan.Zero));

    public Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        Started.Enqueue(spec);
        return Behaviour(spec, timeLimit, cancellationToken);
    }
}
