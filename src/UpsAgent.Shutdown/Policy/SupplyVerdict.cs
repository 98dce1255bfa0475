namespace UpsAgent.Shutdown.Policy;

/// <summary>How one UPS looks to the policy right now; shown by "status" and "shutdown simulate".</summary>
public sealed record SupplyVerdict(
    string Ups,
    bool Critical,
    ShutdownReason? Reason,
    string Detail,
    TimeSpan OnBatteryFor);
