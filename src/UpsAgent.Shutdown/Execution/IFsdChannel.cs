namespace UpsAgent.Shutdown.Execution;

/// <summary>
/// How a primary reaches one UPS it is primary for: set FSD there (our own state store, or FSD on
/// a remote upsd) and count the secondaries still logged in (upsd's NUMLOGINS, less ourselves).
/// </summary>
public interface IFsdChannel
{
    string Ups { get; }

    Task<bool> SetForcedShutdownAsync(CancellationToken cancellationToken);

    /// <summary>Secondaries still attached, or null when the count cannot be read.</summary>
    Task<int?> CountSecondariesAsync(CancellationToken cancellationToken);
}
