using System.Text;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// A USM user with keys localised to one authoritative engine (RFC 3414 section 2.6): what both
/// sides need to authenticate and encrypt messages for that engine.
/// </summary>
public sealed record UsmUser(byte[] Name, UsmAuthProtocol AuthProtocol, byte[] AuthKey, UsmPrivProtocol PrivProtocol, byte[] PrivKey)
{
    public SnmpV3Flags Level =>
        AuthProtocol == UsmAuthProtocol.None ? SnmpV3Flags.None
        : PrivProtocol == UsmPrivProtocol.None ? SnmpV3Flags.Auth
        : SnmpV3Flags.Auth | SnmpV3Flags.Priv;

    /// <summary>Localises both pass phrases to <paramref name="engineId"/>; the privacy key uses the authentication hash.</summary>
    public static UsmUser FromPasswords(string name, UsmAuthProtocol auth, string? authPassword, UsmPrivProtocol priv, string? privPassword, ReadOnlySpan<byte> engineId)
    {
        if (auth == UsmAuthProtocol.None)
        {
            if (priv != UsmPrivProtocol.None)
            {
                throw new ArgumentException($"user '{name}': privacy needs authentication (RFC 3414 section 3.1.1)", nameof(priv));
            }

            return new UsmUser(Encoding.UTF8.GetBytes(name), auth, [], priv, []);
        }

        byte[] authKey = UsmKeys.LocalizedKey(auth, Encoding.UTF8.GetBytes(authPassword ?? throw new ArgumentNullException(nameof(authPassword))), engineId);
        byte[] privKey = priv == UsmPrivProtocol.None
            ? []
            : UsmKeys.LocalizedKey(auth, Encoding.UTF8.GetBytes(privPassword ?? throw new ArgumentNullException(nameof(privPassword))), engineId);
        return new UsmUser(Encoding.UTF8.GetBytes(name), auth, authKey, priv, privKey);
    }
}
