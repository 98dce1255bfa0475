namespace UpsAgent.Protocols.Snmp;

/// <summary>USM authentication protocols (RFC 3414 sections 6 and 7, RFC 7860 for SHA-2).</summary>
public enum UsmAuthProtocol
{
    /// <summary>usmNoAuthProtocol.</summary>
    None,

    /// <summary>usmHMACMD5AuthProtocol: HMAC-MD5-96, 16-octet key, 12-octet MAC.</summary>
    Md5,

    /// <summary>usmHMACSHAAuthProtocol: HMAC-SHA-1-96, 20-octet key, 12-octet MAC.</summary>
    Sha1,

    /// <summary>usmHMAC192SHA256AuthProtocol: HMAC-SHA-256-192, 32-octet key, 24-octet MAC.</summary>
    Sha256,
}
