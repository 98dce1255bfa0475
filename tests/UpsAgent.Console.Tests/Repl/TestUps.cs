using System.Collections.Concurrent;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Console.Tests.Repl;

/// <summary>A registry with one UPS "ups" whose driver records what it was asked to do.</summary>
internal sealed class TestUps : IUpsCommandTarget
{
    public TestUps()
    {
        Store = new UpsStateStore("ups", "Test UPS", new FakeClock());
        Writer = Store.CreateWriter();
        Writer.Publish(
        [
            new UpsVariable("ups.status", "OL CHRG"),
            new UpsVariable("battery.charge", "100"),
            new UpsVariable("ups.id", "rack-a") { Flags = VariableFlags.ReadWrite | VariableFlags.String, MaxLength = 8 },
            new UpsVariable("input.sensitivity", "low") { Flags = VariableFlags.ReadWrite, EnumValues = ["low", "high"] },
        ],
        ["beeper.disable", "load.off"]);
        Registry = new UpsRegistry([new UpsUnit(Store, this)]);
    }

    public UpsStateStore Store { get; }

    public UpsStateWriter Writer { get; }

    public UpsRegistry Registry { get; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public CommandOutcome NextOutcome { get; set; } = CommandOutcome.Success;

    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"SET {name}={value}");
        if (NextOutcome == CommandOutcome.Success)
        {
            Writer.SetValue(name, value);
        }

        return ValueTask.FromResult(NextOutcome);
    }

    public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken)
    {
        Calls.Enqueue(parameter is null ? $"CMD {name}" : $"CMD {name} {parameter}");
        return ValueTask.FromResult(NextOutcome);
    }
}
