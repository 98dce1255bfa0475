using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Monitoring;

/// <summary>
/// One UPS this host depends on, local (our own driver) or remote (a NUT server), as the shutdown
/// monitor sees it: its latest reading, a signal when it changes, and its FSD channel.
/// </summary>
public interface ISupplySource : IAsyncDisposable
{
    /// <summary>The name used in notifications (UPSNAME): "ups" locally, "ups@host:port" remotely.</summary>
    string Name { get; }

    SupplySettings Settings { get; }

    /// <summary>The latest reading; its LastHeard is null until the UPS was heard from.</summary>
    SupplyReading Read(TimeSpan now);

    /// <summary>True while the last contact succeeded.</summary>
    bool Reachable { get; }

    /// <summary>Set when the reading may have changed, so the monitor evaluates at once.</summary>
    event Action? Changed;

    IFsdChannel FsdChannel { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
