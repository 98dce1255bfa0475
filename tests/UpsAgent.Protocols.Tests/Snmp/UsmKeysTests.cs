using System.Security.Cryptography;
using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Protocols.Tests.Snmp;

/// <summary>
/// Password to key and localisation. Vectors: RFC 3414 appendix A.3.1 (MD5) and A.3.2 (SHA-1) for
/// "maplesyrup" and engine ID 00..02; the SHA-256 pair is the key snmpd 5.9.3 persisted for
/// <c>createUser maple256 SHA-256 "maplesyrup"</c> with that engine ID (shared/specs/snmp.md 3.7).
/// </summary>
[TestClass]
public sealed class UsmKeysTests
{
    private static readonly byte[] Password = Encoding.ASCII.GetBytes("maplesyrup");
    private static readonly byte[] EngineId = Convert.FromHexString("000000000000000000000002");

    [TestMethod]
    [DataRow(UsmAuthProtocol.Md5, "9FAF3283884E92834EBC9847D8EDD963", "526F5EED9FCCE26F8964C2930787D82B")]
    [DataRow(UsmAuthProtocol.Sha1, "9FB5CC0381497B3793528939FF788D5D79145211", "6695FEBC9288E36282235FC7151F128497B38F3F")]
    [DataRow(UsmAuthProtocol.Sha256, "AB51014D1E077F6017DF2B12BEE5F5AA72993177E9BB569C4DFF5A4CA0B4AFAC", "8982E0E549E866DB361A6B625D84CCCC11162D453EE8CE3A6445C2D6776F0F8B")]
    public void Maplesyrup_gives_the_published_keys(UsmAuthProtocol protocol, string ku, string kul)
    {
        byte[] key = UsmKeys.PasswordToKey(protocol, Password);

        Assert.AreEqual(ku, Convert.ToHexString(key));
        Assert.AreEqual(kul, Convert.ToHexString(UsmKeys.Localize(protocol, key, EngineId)));
        Assert.HasCount(UsmKeys.KeyLength(protocol), key);
    }

    [TestMethod]
    public void The_aes_key_of_a_user_is_the_first_16_octets_of_the_localised_privacy_key()
    {
        UsmUser user = UsmUser.FromPasswords("maple256", UsmAuthProtocol.Sha256, "maplesyrup", UsmPrivProtocol.Aes128, "maplesyrup", EngineId);

        // snmpd persisted 8982e0e549e866db361a6b625d84cccc as this user's AES key.
        Assert.AreEqual("8982E0E549E866DB361A6B625D84CCCC", Convert.ToHexString(user.PrivKey.AsSpan(0, 16)));
        Assert.AreEqual(SnmpV3Flags.Auth | SnmpV3Flags.Priv, user.Level);
    }

    [TestMethod]
    public void Privacy_without_authentication_is_refused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => UsmUser.FromPasswords("u", UsmAuthProtocol.None, null, UsmPrivProtocol.Aes128, "privpass123", EngineId));
    }

    [TestMethod]
    [DataRow(UsmAuthProtocol.Md5, 12)]
    [DataRow(UsmAuthProtocol.Sha1, 12)]
    [DataRow(UsmAuthProtocol.Sha256, 24)]
    public void The_mac_is_the_truncated_hmac_of_the_message_with_zeros_in_its_place(UsmAuthProtocol protocol, int macLength)
    {
        byte[] key = UsmKeys.LocalizedKey(protocol, Password, EngineId);
        byte[] message = Encoding.ASCII.GetBytes("0123456789" + new string('\0', macLength) + "abcdef");

        UsmAuthentication.Sign(protocol, key, message, 10);

        byte[] zeroed = (byte[])message.Clone();
        zeroed.AsSpan(10, macLength).Clear();
        byte[] expected = protocol switch
        {
            UsmAuthProtocol.Md5 => HMACMD5.HashData(key, zeroed),
            UsmAuthProtocol.Sha1 => HMACSHA1.HashData(key, zeroed),
            _ => HMACSHA256.HashData(key, zeroed),
        };
        CollectionAssert.AreEqual(expected[..macLength], message[10..(10 + macLength)]);
        Assert.AreEqual(macLength, UsmAuthentication.MacLength(protocol));
        Assert.IsTrue(UsmAuthentication.Verify(protocol, key, message, 10));
        message[^1] ^= 1;
        Assert.IsFalse(UsmAuthentication.Verify(protocol, key, message, 10), "one flipped bit");
    }

    [TestMethod]
    public void Aes_cfb_matches_the_platform_cfb128_and_keeps_the_length()
    {
        byte[] key = Convert.FromHexString("6695FEBC9288E36282235FC7151F1284");
        byte[] salt = Convert.FromHexString("0011223344556677");
        foreach (int length in new[] { 0, 1, 15, 16, 17, 53, 200 })
        {
            byte[] plain = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            byte[] cipher = new byte[length];
            UsmPrivacy.Encrypt(key, 3, 1234, salt, plain, cipher);

            // The platform's CFB-128 on zero-padded whole blocks, truncated (a CFB prefix ignores later blocks).
            using var aes = Aes.Create();
            aes.Key = key;
            byte[] iv = Convert.FromHexString("00000003" + "000004D2" + "0011223344556677");
            byte[] padded = new byte[(length + 15) / 16 * 16];
            plain.CopyTo(padded, 0);
            byte[] reference = aes.EncryptCfb(padded, iv, PaddingMode.None, 128);
            CollectionAssert.AreEqual(reference[..length], cipher, $"length {length}");

            byte[] back = new byte[length];
            Assert.IsTrue(UsmPrivacy.TryDecrypt(key, 3, 1234, salt, cipher, back));
            CollectionAssert.AreEqual(plain, back);
        }
    }

    [TestMethod]
    public void A_salt_that_is_not_eight_octets_is_a_decryption_error()
    {
        byte[] key = new byte[16];
        Assert.IsFalse(UsmPrivacy.TryDecrypt(key, 1, 1, new byte[7], new byte[20], new byte[20]));
        Assert.IsFalse(UsmPrivacy.TryDecrypt(key, 1, 1, [], new byte[20], new byte[20]));
    }
}
