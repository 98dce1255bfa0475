using System.Globalization;
using System.Text;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Primary-tree identifiers (ECMA-119 §7.5, §7.6) at interchange level 2: upper-cased d-characters,
/// NAME.EXT;1 of at most 30 characters plus version for files, 31 characters for directories. The real
/// names travel in RRIP NM and in Joliet; these only have to be valid and unique within a directory.
/// </summary>
public static class IsoNames
{
    public const int FileNameLimit = 30;
    public const int DirectoryNameLimit = 31;

    /// <summary>Identifiers for the children of one directory, in the order given, unique among themselves.</summary>
    public static string[] Assign(IReadOnlyList<SourceNode> children)
    {
        var result = new string[children.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < children.Count; i++)
        {
            bool directory = children[i].Kind == SourceKind.Directory;
            (string name, string ext) = Map(children[i].Name, directory);
            string id = Compose(name, ext, directory);
            for (int n = 0; !used.Add(id); n++)
            {
                // §7.5: names must be unique; replace the tail of NAME with a counter, as mkisofs does.
                string counter = n.ToString(CultureInfo.InvariantCulture);
                int limit = (directory ? DirectoryNameLimit : FileNameLimit - ext.Length) - counter.Length;
                id = Compose(name[..Math.Min(name.Length, Math.Max(0, limit))] + counter, ext, directory);
            }

            result[i] = id;
        }

        return result;
    }

    private static string Compose(string name, string ext, bool directory) => directory ? name : $"{name}.{ext};1";

    private static (string Name, string Ext) Map(string source, bool directory)
    {
        string stem = source;
        string ext = "";
        int dot = source.LastIndexOf('.');
        if (!directory && dot > 0)
        {
            stem = source[..dot];
            ext = source[(dot + 1)..];
        }

        string name = DChars(stem);
        string extension = DChars(ext);
        if (directory)
        {
            name = name.Length == 0 ? "_" : name[..Math.Min(name.Length, DirectoryNameLimit)];
            return (name, "");
        }

        extension = extension[..Math.Min(extension.Length, 8)];
        name = name[..Math.Min(name.Length, FileNameLimit - extension.Length)];
        if (name.Length == 0 && extension.Length == 0)
        {
            name = "_";
        }

        return (name, extension);
    }

    /// <summary>One d-character per Unicode scalar: ASCII letters upper-cased, everything else '_'.</summary>
    private static string DChars(string text)
    {
        // Linux names are at most 255 bytes, so this is a stack buffer in practice.
        Span<char> chars = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        int n = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            char c = rune.IsAscii ? char.ToUpperInvariant((char)rune.Value) : '_';
            chars[n++] = c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') ? c : '_';
        }

        return new string(chars[..n]);
    }

    /// <summary>§9.3 order: NAME then EXT, each padded with spaces, then version descending (always 1 here).</summary>
    public static int Compare(string a, string b)
    {
        Split(a, out ReadOnlySpan<char> an, out ReadOnlySpan<char> ae);
        Split(b, out ReadOnlySpan<char> bn, out ReadOnlySpan<char> be);
        int c = ComparePadded(an, bn, ' ');
        return c != 0 ? c : ComparePadded(ae, be, ' ');
    }

    internal static int ComparePadded(ReadOnlySpan<char> a, ReadOnlySpan<char> b, char pad)
    {
        int n = Math.Max(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = i < a.Length ? a[i] : pad;
            char y = i < b.Length ? b[i] : pad;
            if (x != y)
            {
                return x.CompareTo(y);
            }
        }

        return 0;
    }

    private static void Split(string id, out ReadOnlySpan<char> name, out ReadOnlySpan<char> ext)
    {
        ReadOnlySpan<char> body = id;
        int semicolon = body.IndexOf(';');
        if (semicolon >= 0)
        {
            body = body[..semicolon];
        }

        int dot = body.IndexOf('.');
        name = dot >= 0 ? body[..dot] : body;
        ext = dot >= 0 ? body[(dot + 1)..] : [];
    }
}
