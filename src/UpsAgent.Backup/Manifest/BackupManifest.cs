using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// What one session holds: a line per path with type, permissions, owner, size, mtime, SHA-256 of the
/// content and link target. UTF-8 text, LF line ends, sorted by path (ordinal), so two manifests of the same
/// tree are byte-equal and diff well:
/// <code>
/// upsagent-manifest 1
/// volume UPSAGENT_A
/// created 1709213862
/// # type mode uid gid size mtime sha256 target path
/// f 0644 0 0 6 1709213862 5891b5b5...46f6be03 - README.txt
/// l 0777 0 0 0 1672628645 - /etc/hostname abs_link
/// end 2 SHA256-OF-ALL-LINES-ABOVE
/// </code>
/// The last line counts the entries and hashes everything before it, so a cut or damaged manifest is
/// recognised as such instead of being read as "these files are missing".
/// </summary>
public sealed class BackupManifest
{
    /// <summary>The manifest's own name in the root of every session; a source file of this name is replaced.</summary>
    public const string FileName = ".upsagent-manifest";

    public const string Magic = "upsagent-manifest 1";

    private const string ColumnsLine = "# type mode uid gid size mtime sha256 target path";

    public BackupManifest(string volumeId, long createdTime, IEnumerable<ManifestEntry> entries)
    {
        VolumeId = volumeId;
        CreatedTime = createdTime;
        Entries = entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        for (int i = 1; i < Entries.Count; i++)
        {
            if (Entries[i].Path == Entries[i - 1].Path)
            {
                throw new ArgumentException($"manifest lists '{Entries[i].Path}' twice", nameof(entries));
            }
        }
    }

    public string VolumeId { get; }

    public long CreatedTime { get; }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    public ManifestEntry? Find(string path)
    {
        int lo = 0;
        int hi = Entries.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            int c = string.CompareOrdinal(Entries[mid].Path, path);
            if (c == 0)
            {
                return Entries[mid];
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    public byte[] ToBytes()
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        sb.Append("volume ").Append(ManifestText.Escape(VolumeId)).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"created {CreatedTime}\n");
        sb.Append(ColumnsLine).Append('\n');
        foreach (ManifestEntry e in Entries)
        {
            sb.Append((char)e.Type).Append(' ')
                .Append(Convert.ToString(e.Permissions & 0xFFF, 8).PadLeft(4, '0')).Append(' ')
                .Append(CultureInfo.InvariantCulture, $"{e.Uid} {e.Gid} {e.SizeBytes} {e.ModifyTime} ")
                .Append(e.Sha256 ?? ManifestText.Absent).Append(' ')
                .Append(ManifestText.Escape(e.Target)).Append(' ')
                .Append(ManifestText.Escape(e.Path)).Append('\n');
        }

        byte[] body = Encoding.UTF8.GetBytes(sb.ToString());
        string end = FormattableString.Invariant($"end {Entries.Count} {Convert.ToHexStringLower(SHA256.HashData(body))}\n");
        return [.. body, .. Encoding.ASCII.GetBytes(end)];
    }

    public static BackupManifest Parse(ReadOnlySpan<byte> bytes, string source)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ManifestFormatException($"{source}: not UTF-8 text, so not a manifest (or a damaged one)");
        }

        if (!text.EndsWith('\n'))
        {
            throw new ManifestFormatException($"{source}: ends without a newline after {bytes.Length} bytes: cut short");
        }

        int endLine = text.LastIndexOf('\n', text.Length - 2) + 1;
        string[] end = text[endLine..^1].Split(' ');
        if (end.Length != 3 || end[0] != "end")
        {
            throw new ManifestFormatException($"{source}: the last line is '{Shorten(text[endLine..^1])}', not 'end COUNT SHA256': cut short or damaged");
        }

        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes[..Encoding.UTF8.GetByteCount(text.AsSpan(0, endLine))]));
        if (!string.Equals(actual, end[2], StringComparison.Ordinal))
        {
            throw new ManifestFormatException($"{source}: damaged: its lines hash to {actual}, its end line says {end[2]}");
        }

        string[] lines = text[..endLine].Split('\n');
        if (lines.Length < 4 || lines[0] != Magic)
        {
            throw new ManifestFormatException($"{source}: first line is '{Shorten(lines[0])}', expected '{Magic}'");
        }

        string volume = Field(lines[1], "volume", source, 2);
        long created = Number(Field(lines[2], "created", source, 3), source, 3);
        var entries = new List<ManifestEntry>();
        for (int i = 3; i < lines.Length - 1; i++)
        {
            string line = lines[i];
            if (line.StartsWith('#'))
            {
                continue;
            }

            entries.Add(ParseEntry(line, $"{source} line {i + 1}"));
        }

        if (!int.TryParse(end[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count != entries.Count)
        {
            throw new ManifestFormatException($"{source}: the end line counts {end[1]} entries, the manifest holds {entries.Count}");
        }

        return new BackupManifest(volume, created, entries);
    }

    private static ManifestEntry ParseEntry(string line, string where)
    {
        string[] f = line.Split(' ');
        if (f.Length != 9 || f[0].Length != 1 || !Enum.IsDefined((ManifestEntryType)f[0][0]))
        {
            throw new ManifestFormatException($"{where}: '{Shorten(line)}' is not 'type mode uid gid size mtime sha256 target path'");
        }

        uint permissions;
        try
        {
            permissions = Convert.ToUInt32(f[1], 8);
        }
        catch (FormatException)
        {
            throw new ManifestFormatException($"{where}: mode '{f[1]}' is not octal");
        }

        string? sha = f[6] == ManifestText.Absent ? null : f[6];
        if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)))
        {
            throw new ManifestFormatException($"{where}: '{Shorten(sha)}' is not a SHA-256 in lower-case hex");
        }

        return new ManifestEntry(
            ManifestText.Unescape(f[8], where) ?? throw new ManifestFormatException($"{where}: no path"),
            (ManifestEntryType)f[0][0],
            permissions,
            (uint)Number(f[2], where, 0),
            (uint)Number(f[3], where, 0),
            Number(f[4], where, 0),
            Number(f[5], where, 0),
            sha,
            ManifestText.Unescape(f[7], where));
    }

    private static string Field(string line, string key, string source, int lineNumber) =>
        line.StartsWith(key + " ", StringComparison.Ordinal)
            ? ManifestText.Unescape(line[(key.Length + 1)..], $"{source} line {lineNumber}") ?? ""
            : throw new ManifestFormatException($"{source} line {lineNumber}: '{Shorten(line)}', expected '{key} ...'");

    private static long Number(string text, string where, int lineNumber) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new ManifestFormatException(lineNumber == 0 ? $"{where}: '{Shorten(text)}' is not a number" : $"{where} line {lineNumber}: '{Shorten(text)}' is not a number");

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
