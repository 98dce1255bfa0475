using System.Globalization;

namespace UpsAgent.Raid.Commands;

/// <summary>Sizes as mdadm and dd write them: plain bytes or a K, M, G, T suffix (powers of 1024).</summary>
public static class SizeParser
{
    public static long? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string t = text.Trim();
        int shift = char.ToUpperInvariant(t[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        string digits = shift == 0 ? t : t[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 0 && value <= long.MaxValue >> shift
            ? value << shift
            : null;
    }
}
