using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// Checks a password against what upsd.users-style configuration stores: plain text (compared
/// exactly, as upsd does) or "pbkdf2-sha256$&lt;iterations&gt;$&lt;salt-b64&gt;$&lt;hash-b64&gt;".
/// Comparisons take constant time for a given length.
/// </summary>
public sealed class PasswordVerifier
{
    public const string Pbkdf2Prefix = "pbkdf2-sha256$";
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly byte[]? _plain;
    private readonly byte[]? _salt;
    private readonly byte[]? _hash;
    private readonly int _iterations;

    private PasswordVerifier(byte[] plain) => _plain = plain;

    private PasswordVerifier(int iterations, byte[] salt, byte[] hash)
    {
        _iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    /// <summary>True when verifying derives a key (costly); callers cache the outcome per session.</summary>
    public bool IsHashed => _hash is not null;

    /// <summary>Reads a stored password: a well-formed pbkdf2 string is a hash, anything else plain text.</summary>
    public static PasswordVerifier Parse(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (TryParseHash(stored, out PasswordVerifier? hashed))
        {
            return hashed;
        }

        return new PasswordVerifier(Encoding.UTF8.GetBytes(stored));
    }

    public static PasswordVerifier FromPlainText(string password) => new(Encoding.UTF8.GetBytes(password));

    /// <summary>Produces the stored form of a password for configuration files.</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Pbkdf2Prefix}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public bool Verify(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (_plain is not null)
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), _plain);
        }

        byte[] derived = Rfc2898DeriveBytes.Pbkdf2(password, _salt!, _iterations, HashAlgorithmName.SHA256, _hash!.Length);
        return CryptographicOperations.FixedTimeEquals(derived, _hash);
    }

    private static bool TryParseHash(string stored, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PasswordVerifier? verifier)
    {
        verifier = null;
        if (!stored.StartsWith(Pbkdf2Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string[] parts = stored[Pbkdf2Prefix.Length..].Split('$');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations)
            || iterations < 1)
        {
            return false;
        }

        try
        {
            byte[] salt = Convert.FromBase64String(parts[1]);
            byte[] hash = Convert.FromBase64String(parts[2]);
            if (salt.Length == 0 || hash.Length == 0)
            {
                return false;
            }

            verifier = new PasswordVerifier(iterations, salt, hash);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
