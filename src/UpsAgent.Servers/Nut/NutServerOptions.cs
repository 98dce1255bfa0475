using System.Net;
using System.Security.Cryptography.X509Certificates;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>Settings of the NUT-compatible server; defaults follow upsd 2.8.0.</summary>
public sealed class NutServerOptions
{
    /// <summary>upsd's VER and server.info text; we claim upsd 2.8.0 so clients behave as with upsd.</summary>
    public const string DefaultVersionText = "Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/";

    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [new IPEndPoint(IPAddress.Loopback, NutProtocol.DefaultPort)];

    /// <summary>Open clients beyond this are accepted and closed at once, and counted.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>
    /// Threads that wait in epoll for the clients' sockets and answer them: -1 picks one per core
    /// (at most 4); 0 leaves the sockets to the runtime's own engine.
    /// </summary>
    public int SocketLoops { get; init; } = -1;

    /// <summary>
    /// A client that completes no request line for more than this is dropped (upsd: 60 s). Like
    /// upsd's whole-second check, the cut comes one second later, so a poller with exactly this
    /// period survives.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Enables STARTTLS; without it STARTTLS answers ERR FEATURE-NOT-CONFIGURED.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>How long TRACKING results stay queryable (upsd's TRACKINGDELAY, 3600 s).</summary>
    public TimeSpan TrackingRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Reply to VER and value of server.info.</summary>
    public string VersionText { get; init; } = DefaultVersionText;

    /// <summary>Value of server.version.</summary>
    public string ServerVersion { get; init; } = "2.8.0";

    /// <summary>
    /// Bytes a single request line may span before the client is dropped. upsd has no limit; ours
    /// keeps memory and CPU per connection bounded. Real requests are far below it.
    /// </summary>
    public int MaxRequestLineBytes { get; init; } = 64 * 1024;

    /// <summary>Reply bytes buffered before a flush while answering a long pipelined batch.</summary>
    public int FlushThresholdBytes { get; init; } = 64 * 1024;

    /// <summary>Cap on tracking entries kept at once; the oldest go first beyond it.</summary>
    public int MaxTrackingEntries { get; init; } = 10_000;
}
