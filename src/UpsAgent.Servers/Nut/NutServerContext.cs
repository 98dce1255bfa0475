using System.Net.Security;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Timing;

namespace UpsAgent.Servers.Nut;

/// <summary>What every session of one server shares.</summary>
internal sealed class NutServerContext(
    NutServerOptions options,
    UpsRegistry registry,
    NutUserTable users,
    IClock clock,
    ILogger logger,
    CancellationToken serverStopping)
{
    public NutServerOptions Options { get; } = options;

    public UpsRegistry Registry { get; } = registry;

    public NutUserTable Users { get; } = users;

    public IClock Clock { get; } = clock;

    public ILogger Logger { get; } = logger;

    /// <summary>Driver calls run under this, not the session's token: a SET outlives its client, as in upsd.</summary>
    public CancellationToken ServerStopping { get; } = serverStopping;

    public NutTrackingTable Tracking { get; } = new(clock, options.TrackingRetention, options.MaxTrackingEntries);

    public NutClientBoard Board { get; } = new();

    public SslServerAuthenticationOptions? TlsOptions { get; } = options.Certificate is null
        ? null
        : new SslServerAuthenticationOptions { ServerCertificate = options.Certificate, ClientCertificateRequired = false };

    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public void CountRequests(long count) => Interlocked.Add(ref _requests, count);
}
