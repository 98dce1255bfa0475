using System.Collections.Immutable;

namespace UpsAgent.Shutdown.Policy;

/// <summary>The policy's memory: per-UPS outage timers and the latched decision.</summary>
public sealed record PolicyState(ImmutableDictionary<string, SupplyMemory> Supplies, ShutdownDecision? Decision)
{
    public static PolicyState Initial { get; } =
        new(ImmutableDictionary.Create<string, SupplyMemory>(StringComparer.OrdinalIgnoreCase), null);

    public SupplyMemory For(string ups) => Supplies.GetValueOrDefault(ups) ?? SupplyMemory.Initial;
}
