namespace UpsAgent.Shutdown.Monitoring;

/// <summary>upsmon's MONITOR line for a UPS on a NUT server: ups@host:port, credentials, poll rates.</summary>
public sealed record RemoteSupplySettings(string Ups, string Host, int Port, string User, string Password)
{
    /// <summary>upsmon's POLLFREQ.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>upsmon's POLLFREQALERT, used while the UPS is on battery.</summary>
    public TimeSpan AlertPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>STARTTLS (FORCESSL, CERTVERIFY, CERTPATH): tried by default, as upsmon does.</summary>
    public Drivers.Nut.NutTlsOptions Tls { get; init; } = Drivers.Nut.NutTlsOptions.Default;

    /// <summary>Per-request limit (libupsclient: 5 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public string MonitorName => $"{Ups}@{Host}:{Port}";
}
