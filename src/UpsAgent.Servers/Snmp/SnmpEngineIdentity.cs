using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// snmpEngineID and snmpEngineBoots for the agent (RFC 3411 section 5, RFC 3414 section 2.2). The
/// engine ID uses the RFC 3411 "octets" format (first bit set, format 5) with eight octets that are
/// either derived from a name or random; boots live in a small state file, as net-snmp keeps
/// engineBoots and oldEngineID in its persistent store, and go up by one at every start.
/// </summary>
public static class SnmpEngineIdentity
{
    private static readonly byte[] Prefix = [0x80, 0x00, 0x00, 0x00, 0x05];

    /// <summary>A stable engine ID from a name (the host name when nothing is configured or persisted).</summary>
    public static byte[] Derive(string name) => [.. Prefix, .. SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 8)];

    public static byte[] NewRandom() => [.. Prefix, .. RandomNumberGenerator.GetBytes(8)];

    /// <summary>RFC 3411: 5..32 octets.</summary>
    public static bool IsValid(ReadOnlySpan<byte> engineId) => engineId.Length is >= 5 and <= 32;

    /// <summary>
    /// Reads the state file (engine-id and boots lines), keeps its engine ID unless one is
    /// configured, adds one to boots and writes the file back. Returns what this start runs with.
    /// </summary>
    public static (byte[] EngineId, int Boots) LoadAndIncrement(string path, byte[]? configuredEngineId)
    {
        byte[]? persistedId = null;
        int boots = 0;
        if (File.Exists(path))
        {
            foreach (string line in File.ReadAllLines(path))
            {
                string[] parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2)
                {
                    continue;
                }

                if (parts[0] == "engine-id" && TryParseHex(parts[1], out byte[]? id))
                {
                    persistedId = id;
                }
                else if (parts[0] == "boots" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                {
                    boots = value;
                }
            }
        }

        byte[] engineId = configuredEngineId ?? persistedId ?? NewRandom();
        if (persistedId is not null && !persistedId.AsSpan().SequenceEqual(engineId))
        {
            // A new engine ID starts a new count (RFC 3414 section 2.2.2).
            boots = 0;
        }

        // 2147483647 is the latched "unusable" value (RFC 3414 section 2.2.2); do not run into it.
        boots = boots >= int.MaxValue - 1 ? int.MaxValue - 1 : boots + 1;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, $"# snmpEngineID and snmpEngineBoots of the UpsAgent SNMP agent; boots goes up at every start\nengine-id = {Convert.ToHexString(engineId)}\nboots = {boots.ToString(CultureInfo.InvariantCulture)}\n");
        File.Move(temporary, path, overwrite: true);
        return (engineId, boots);
    }

    /// <summary>"0x8000...", "80:00:..." or plain hex.</summary>
    public static bool TryParseHex(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? octets)
    {
        octets = null;
        string hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        hex = hex.Replace(":", string.Empty, StringComparison.Ordinal);
        if (hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        octets = Convert.FromHexString(hex);
        return IsValid(octets);
    }
}
