using System.Buffers;
using System.Security.Cryptography;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// The MAC of a whole message (RFC 3414 sections 6.3 and 7.3, RFC 7860 section 4): computed with
/// msgAuthenticationParameters set to zeros, truncated, and written in place of the zeros.
/// </summary>
public static class UsmAuthentication
{
    /// <summary>12 octets for HMAC-MD5-96 and HMAC-SHA-1-96, 24 for HMAC-SHA-256-192; 0 without authentication.</summary>
    public static int MacLength(UsmAuthProtocol protocol) => protocol switch
    {
        UsmAuthProtocol.None => 0,
        UsmAuthProtocol.Md5 or UsmAuthProtocol.Sha1 => 12,
        UsmAuthProtocol.Sha256 => 24,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "unknown authentication protocol"),
    };

    /// <summary>Fills the zeroed MAC field at <paramref name="macOffset"/> of an encoded message.</summary>
    public static void Sign(UsmAuthProtocol protocol, ReadOnlySpan<byte> key, Span<byte> message, int macOffset)
    {
        int length = MacLength(protocol);
        Span<byte> mac = message.Slice(macOffset, length);
        mac.Clear();
        Span<byte> full = stackalloc byte[64];
        Hmac(protocol, key, message, full);
        full[..length].CopyTo(mac);
    }

    /// <summary>True when the MAC at <paramref name="macOffset"/> is the one this key gives the message; compared in fixed time.</summary>
    public static bool Verify(UsmAuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int macOffset)
    {
        int length = MacLength(protocol);
        if (length == 0 || macOffset < 0 || macOffset + length > message.Length)
        {
            return false;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(message.Length);
        try
        {
            Span<byte> zeroed = copy.AsSpan(0, message.Length);
            message.CopyTo(zeroed);
            zeroed.Slice(macOffset, length).Clear();
            Span<byte> full = stackalloc byte[64];
            Hmac(protocol, key, zeroed, full);
            return CryptographicOperations.FixedTimeEquals(full[..length], message.Slice(macOffset, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static int Hmac(UsmAuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) => protocol switch
    {
        UsmAuthProtocol.Md5 => HMACMD5.HashData(key, data, destination),
        UsmAuthProtocol.Sha1 => HMACSHA1.HashData(key, data, destination),
        UsmAuthProtocol.Sha256 => HMACSHA256.HashData(key, data, destination),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "no MAC without an authentication protocol"),
    };
}
