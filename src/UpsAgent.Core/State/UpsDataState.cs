namespace UpsAgent.Core.State;

/// <summary>
/// How far a UPS's data can be trusted. Stale data is a state readers see, never an exception
/// (upsd answers DATA-STALE / DRIVER-NOT-CONNECTED from the same distinction).
/// </summary>
public enum UpsDataState
{
    /// <summary>The driver has not delivered its first complete dump yet (upsd shows ups.status WAIT).</summary>
    Waiting,
    Fresh,
    /// <summary>The driver is attached but the device stopped answering.</summary>
    Stale,
    /// <summary>No driver is attached to this UPS.</summary>
    NotConnected,
}
