using System.Globalization;
using System.Text;

namespace UpsAgent.Backup.Iso9660.Joliet;

/// <summary>
/// Joliet identifiers (Microsoft Joliet specification): UCS-2, at most 64 characters, no control characters
/// and none of * / : ; ? \ . A long name keeps its extension when cut, so "…backup.tar.gz" stays a .gz.
/// Characters outside the BMP stay as surrogate pairs (readers treat the names as UTF-16).
/// </summary>
public static class JolietNames
{
    public const int NameLimit = 64;
    private const int ExtensionKeepLimit = 16;

    public static string[] Assign(IReadOnlyList<SourceNode> children)
    {
        var result = new string[children.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < children.Count; i++)
        {
            string clean = Clean(children[i].Name);
            string id = Truncate(clean, "");
            for (int n = 0; !used.Add(id); n++)
            {
                id = Truncate(clean, n.ToString(CultureInfo.InvariantCulture));
            }

            result[i] = id;
        }

        return result;
    }

    private static string Clean(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            sb.Append(c < 0x20 || c is '*' or '/' or ':' or ';' or '?' or '\\' ? '_' : c);
        }

        return sb.Length == 0 ? "_" : sb.ToString();
    }

    /// <summary>Cuts to 64 code units keeping the extension, with an optional uniqueness counter before it.</summary>
    private static string Truncate(string name, string counter)
    {
        if (name.Length + counter.Length <= NameLimit && counter.Length == 0)
        {
            return name;
        }

        int dot = name.LastIndexOf('.');
        string ext = dot > 0 && name.Length - dot <= ExtensionKeepLimit ? name[dot..] : "";
        string stem = ext.Length > 0 ? name[..dot] : name;
        int keep = Math.Min(stem.Length, NameLimit - ext.Length - counter.Length);
        if (keep > 0 && char.IsHighSurrogate(stem[keep - 1]))
        {
            keep--;
        }

        return stem[..keep] + counter + ext;
    }

    /// <summary>Joliet order: by UCS-2 code unit, shorter names padded with 0x00, i.e. ordinal.</summary>
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);
}
