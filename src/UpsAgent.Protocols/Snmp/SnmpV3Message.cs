namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// SNMPv3Message (RFC 3412 section 6) with the User-based Security Model's parameters. The msgData is
/// either a plaintext <see cref="ScopedPdu"/> or, with privacy, the <see cref="EncryptedPdu"/> octets.
/// A decoded message remembers where its MAC sits (<see cref="AuthenticationOffset"/>) so it can be
/// checked against the very bytes that arrived.
/// </summary>
public sealed record SnmpV3Message(
    int MessageId, int MaxSize, SnmpV3Flags Flags, UsmSecurityParameters Security, ScopedPdu? ScopedPdu, byte[]? EncryptedPdu)
{
    /// <summary>msgSecurityModel 3 = USM (RFC 3411 section 5, SnmpSecurityModel).</summary>
    public const int UserBasedSecurityModel = 3;

    /// <summary>Offset of msgAuthenticationParameters' contents in the decoded datagram; -1 when not decoded or empty.</summary>
    public int AuthenticationOffset { get; init; } = -1;

    public bool IsAuthenticated => (Flags & SnmpV3Flags.Auth) != 0;

    public bool IsEncrypted => (Flags & SnmpV3Flags.Priv) != 0;

    public bool IsReportable => (Flags & SnmpV3Flags.Reportable) != 0;
}
