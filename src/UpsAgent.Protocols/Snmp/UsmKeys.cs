using System.Security.Cryptography;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// Password to key and key localisation (RFC 3414 A.2, RFC 7860 section 9.3): Ku is the hash of
/// 1,048,576 octets of the password repeated; Kul = H(Ku ‖ snmpEngineID ‖ Ku). The privacy key is
/// made the same way from the privacy password with the authentication protocol's hash.
/// </summary>
public static class UsmKeys
{
    /// <summary>RFC 3414 A.2.1: exactly 2^20 octets of password go through the hash.</summary>
    public const int ExpansionOctets = 1_048_576;

    /// <summary>net-snmp refuses shorter pass phrases (USM_LENGTH_P_MIN); so do we, at configuration time.</summary>
    public const int MinimumPasswordLength = 8;

    public static int KeyLength(UsmAuthProtocol protocol) => protocol switch
    {
        UsmAuthProtocol.Md5 => 16,
        UsmAuthProtocol.Sha1 => 20,
        UsmAuthProtocol.Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "no key without an authentication protocol"),
    };

    /// <summary>Ku: the un-localised key.</summary>
    public static byte[] PasswordToKey(UsmAuthProtocol protocol, ReadOnlySpan<byte> password)
    {
        if (password.IsEmpty)
        {
            throw new ArgumentException("a USM password cannot be empty", nameof(password));
        }

        using IncrementalHash hash = IncrementalHash.CreateHash(HashName(protocol));
        Span<byte> chunk = stackalloc byte[64];
        int index = 0;
        for (int count = 0; count < ExpansionOctets; count += chunk.Length)
        {
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = password[index];
                index = index + 1 == password.Length ? 0 : index + 1;
            }

            hash.AppendData(chunk);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Kul = H(Ku ‖ engineID ‖ Ku), bound to the authoritative engine.</summary>
    public static byte[] Localize(UsmAuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> engineId)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashName(protocol));
        hash.AppendData(key);
        hash.AppendData(engineId);
        hash.AppendData(key);
        return hash.GetHashAndReset();
    }

    public static byte[] LocalizedKey(UsmAuthProtocol protocol, ReadOnlySpan<byte> password, ReadOnlySpan<byte> engineId) =>
        Localize(protocol, PasswordToKey(protocol, password), engineId);

    internal static HashAlgorithmName HashName(UsmAuthProtocol protocol) => protocol switch
    {
        UsmAuthProtocol.Md5 => HashAlgorithmName.MD5,
        UsmAuthProtocol.Sha1 => HashAlgorithmName.SHA1,
        UsmAuthProtocol.Sha256 => HashAlgorithmName.SHA256,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "no hash without an authentication protocol"),
    };
}
