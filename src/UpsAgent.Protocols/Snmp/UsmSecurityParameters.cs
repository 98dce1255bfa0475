namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// UsmSecurityParameters (RFC 3414 section 2.4): the authoritative engine's ID, boots and time, the
/// user name, the MAC (12 octets for HMAC-SHA-1-96, 24 for HMAC-SHA-256-192, empty without auth)
/// and the privacy salt (8 octets for AES, empty without privacy).
/// </summary>
public sealed record UsmSecurityParameters(
    byte[] EngineId, int EngineBoots, int EngineTime, byte[] UserName, byte[] AuthenticationParameters, byte[] PrivacyParameters)
{
    /// <summary>What a manager sends to discover the engine (RFC 3414 section 4): everything empty or zero.</summary>
    public static UsmSecurityParameters Discovery { get; } = new([], 0, 0, [], [], []);
}
