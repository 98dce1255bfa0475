namespace UpsAgent.Protocols.Snmp;

/// <summary>USM privacy protocols: none, or AES-128 in CFB-128 mode (RFC 3826, usmAesCfb128Protocol).</summary>
public enum UsmPrivProtocol
{
    None,
    Aes128,
}
