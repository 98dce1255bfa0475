using UpsAgent.Core.State;

namespace UpsAgent.Shutdown.Policy;

/// <summary>
/// What the host knows of one UPS at one moment: its last status and battery figures, and when it
/// was last heard from (monotonic time). A UPS never heard from has <see cref="LastHeard"/> null.
/// </summary>
public sealed record SupplyReading(
    string Name,
    UpsStatus Status,
    double? ChargePercent,
    double? RuntimeSeconds,
    TimeSpan? LastHeard)
{
    public bool OnBattery => (Status & UpsStatus.OnBattery) != 0;

    public bool LowBattery => (Status & UpsStatus.LowBattery) != 0;

    public bool ForcedShutdown => (Status & UpsStatus.ForcedShutdown) != 0;

    public bool Calibrating => (Status & UpsStatus.Calibrating) != 0;

    public static SupplyReading FromState(UpsState state, TimeSpan now) => new(
        state.Name,
        state.Status,
        state.GetNumber(Core.Names.NutNames.BatteryCharge),
        state.GetNumber(Core.Names.NutNames.BatteryRuntime),
        state.DataState == UpsDataState.Fresh ? now : null);
}
