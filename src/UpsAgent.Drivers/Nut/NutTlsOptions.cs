namespace UpsAgent.Drivers.Nut;

/// <summary>When a NUT client starts TLS, the way libupsclient does for upsmon and dummy-ups.</summary>
public enum NutTlsMode
{
    /// <summary>Send STARTTLS; a server that answers with an error (no certificate) is used in the clear. upsmon's default.</summary>
    Try,

    /// <summary>A server that will not start TLS is an error (upsmon's FORCESSL 1).</summary>
    Required,

    /// <summary>Never send STARTTLS (for a server that mishandles it).</summary>
    Off,
}

/// <summary>
/// TLS towards another NUT server: upsmon's FORCESSL and CERTVERIFY, and the certificates to trust
/// (CERTPATH there; one PEM file here).
/// </summary>
public sealed record NutTlsOptions
{
    public static NutTlsOptions Default { get; } = new();

    public NutTlsMode Mode { get; init; } = NutTlsMode.Try;

    /// <summary>
    /// CERTVERIFY: the server's certificate must chain to <see cref="CaFile"/> (or, without one, to the
    /// system's trusted roots) and name the host connected to. Off, any certificate is taken, as upsmon
    /// does by default: the link is encrypted but the server is not authenticated.
    /// </summary>
    public bool Verify { get; init; }

    /// <summary>PEM file of the certificates that are trusted as roots when verifying.</summary>
    public string? CaFile { get; init; }
}
