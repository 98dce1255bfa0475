using System.Globalization;
using System.Text;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// Field escaping shared by manifests and the catalog: fields are separated by single spaces, so a backslash,
/// a space and every control character inside a field are written as "\xHH" (a backslash as "\x5c"), and an
/// absent value is "-" (a real "-" is "\x2d"). Everything else, UTF-8 included, is written as is.
/// </summary>
public static class ManifestText
{
    public const string Absent = "-";

    public static string Escape(string? value)
    {
        if (value is null)
        {
            return Absent;
        }

        if (value.Length == 0)
        {
            // An empty field would vanish between two separators.
            return "\\x00";
        }

        if (value == Absent)
        {
            return "\\x2d";
        }

        var sb = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c is '\\' or ' ' or < ' ' or '\x7f')
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string? Unescape(string field, string where)
    {
        if (field == Absent)
        {
            return null;
        }

        if (field == "\\x00")
        {
            return "";
        }

        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var sb = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\')
            {
                sb.Append(field[i]);
                continue;
            }

            if (i + 3 >= field.Length || field[i + 1] != 'x'
                || !int.TryParse(field.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
            {
                throw new ManifestFormatException($"{where}: bad escape in '{field}' (expected \\xHH)");
            }

            sb.Append((char)code);
            i += 3;
        }

        return sb.ToString();
    }
}
