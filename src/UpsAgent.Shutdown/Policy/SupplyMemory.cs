namespace UpsAgent.Shutdown.Policy;

/// <summary>What the policy remembers of one UPS between evaluations (monotonic times).</summary>
public sealed record SupplyMemory(TimeSpan? OnBatterySince, TimeSpan? LowBatterySince, bool LastKnownOnBattery)
{
    public static SupplyMemory Initial { get; } = new(null, null, false);
}
