using System.Collections.Concurrent;
using UpsAgent.Core.Commands;

namespace UpsAgent.Servers.Tests.Nut;

/// <summary>Records forwarded SET / INSTCMD calls; the outcome can be held back to test PENDING.</summary>
public sealed class FakeCommandTarget : IUpsCommandTarget
{
    private readonly ConcurrentQueue<TaskCompletionSource<CommandOutcome>> _held = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public CommandOutcome Outcome { get; set; } = CommandOutcome.Success;

    /// <summary>When true, calls stay pending until <see cref="Release"/>.</summary>
    public bool Hold { get; set; }

    /// <summary>When set, calls throw synchronously (a broken driver link).</summary>
    public Exception? Throw { get; set; }

    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        Record($"SET {name} {value}");

    public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken) =>
        Record(parameter is null ? $"INSTCMD {name}" : $"INSTCMD {name} {parameter}");

    public void Release(CommandOutcome outcome)
    {
        while (_held.TryDequeue(out TaskCompletionSource<CommandOutcome>? pending))
        {
            pending.TrySetResult(outcome);
        }
    }

    public void Fail(Exception exception)
    {
        while (_held.TryDequeue(out TaskCompletionSource<CommandOutcome>? pending))
        {
            pending.TrySetException(exception);
        }
    }

    private ValueTask<CommandOutcome> Record(string call)
    {
        if (Throw is not null)
        {
            throw Throw;
        }

        Calls.Enqueue(call);
        if (!Hold)
        {
            return ValueTask.FromResult(Outcome);
        }

        var pending = new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _held.Enqueue(pending);
        return new ValueTask<CommandOutcome>(pending.Task);
    }
}
