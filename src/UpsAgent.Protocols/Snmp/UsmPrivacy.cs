using System.Buffers.Binary;
using System.Security.Cryptography;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// AES-128 in CFB-128 mode for the ScopedPDU (RFC 3826 section 3.1): key = the first 16 octets of
/// the localised privacy key, IV = engine boots ‖ engine time (both 4 octets big-endian) ‖ the 8-octet
/// salt sent as msgPrivacyParameters. No padding: the ciphertext is exactly as long as the plaintext.
/// </summary>
public static class UsmPrivacy
{
    public const int SaltLength = 8;

    private const int Block = 16;

    public static void Encrypt(ReadOnlySpan<byte> privKey, int engineBoots, int engineTime, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext) =>
        Transform(privKey, engineBoots, engineTime, salt, plaintext, ciphertext, encrypt: true);

    /// <summary>False when the salt is not 8 octets (RFC 3826 section 3.2.4 step 1: decryptionError).</summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> privKey, int engineBoots, int engineTime, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (salt.Length != SaltLength || privKey.Length < Block)
        {
            return false;
        }

        Transform(privKey, engineBoots, engineTime, salt, ciphertext, plaintext, encrypt: false);
        return true;
    }

    /// <summary>C_i = P_i XOR E_K(C_(i-1)) with C_0 = IV; the last block may be partial.</summary>
    private static void Transform(ReadOnlySpan<byte> privKey, int engineBoots, int engineTime, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, Span<byte> output, bool encrypt)
    {
        if (salt.Length != SaltLength)
        {
            throw new ArgumentException($"the AES salt has {SaltLength} octets, not {salt.Length}", nameof(salt));
        }

        if (privKey.Length < Block)
        {
            throw new ArgumentException($"an AES-128 key needs {Block} octets, not {privKey.Length}", nameof(privKey));
        }

        using var aes = Aes.Create();
        aes.SetKey(privKey[..Block]);
        Span<byte> feedback = stackalloc byte[Block];
        Span<byte> stream = stackalloc byte[Block];
        BinaryPrimitives.WriteInt32BigEndian(feedback, engineBoots);
        BinaryPrimitives.WriteInt32BigEndian(feedback[4..], engineTime);
        salt.CopyTo(feedback[8..]);
        for (int at = 0; at < input.Length; at += Block)
        {
            aes.EncryptEcb(feedback, stream, PaddingMode.None);
            int length = Math.Min(Block, input.Length - at);
            ReadOnlySpan<byte> chunk = input.Slice(at, length);
            Span<byte> result = output.Slice(at, length);
            if (encrypt)
            {
                for (int i = 0; i < length; i++)
                {
                    result[i] = (byte)(chunk[i] ^ stream[i]);
                }

                result.CopyTo(feedback);
            }
            else
            {
                // The next feedback is this ciphertext block; keep it before output may overwrite input.
                chunk.CopyTo(feedback);
                for (int i = 0; i < length; i++)
                {
                    result[i] = (byte)(feedback[i] ^ stream[i]);
                }
            }
        }
    }
}
