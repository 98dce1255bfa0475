namespace UpsAgent.Shutdown.Policy;

/// <summary>
/// This host's role for one UPS, as in upsmon's MONITOR line: the primary is attached to the UPS
/// and orders the others down (FSD); a secondary follows.
/// </summary>
public enum MonitorRole
{
    Primary,
    Secondary,
}
