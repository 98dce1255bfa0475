namespace UpsAgent.Core.State;

/// <summary>Maps between ups.status text ("OB LB DISCHRG") and <see cref="UpsStatus"/>.</summary>
public static class UpsStatusTokens
{
    // Order used when formatting: the order NUT drivers conventionally emit (status_set calls in drivers).
    private static readonly (string Token, UpsStatus Flag)[] Table =
    [
        ("FSD", UpsStatus.ForcedShutdown),
        ("OL", UpsStatus.OnLine),
        ("OB", UpsStatus.OnBattery),
        ("LB", UpsStatus.LowBattery),
        ("HB", UpsStatus.HighBattery),
        ("RB", UpsStatus.ReplaceBattery),
        ("CHRG", UpsStatus.Charging),
        ("DISCHRG", UpsStatus.Discharging),
        ("BYPASS", UpsStatus.Bypass),
        ("CAL", UpsStatus.Calibrating),
        ("OFF", UpsStatus.Off),
        ("OVER", UpsStatus.Overload),
        ("TRIM", UpsStatus.Trim),
        ("BOOST", UpsStatus.Boost),
        ("ALARM", UpsStatus.Alarm),
        ("WAIT", UpsStatus.Wait),
        ("ECO", UpsStatus.Eco),
    ];

    public static UpsStatus Parse(string? text)
    {
        UpsStatus result = UpsStatus.None;
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            UpsStatus flag = UpsStatus.Other;
            foreach ((string token, UpsStatus candidate) in Table)
            {
                if (string.Equals(token, word, StringComparison.OrdinalIgnoreCase))
                {
                    flag = candidate;
                    break;
                }
            }

            result |= flag;
        }

        return result;
    }

    public static string Format(UpsStatus status)
    {
        var words = new List<string>(4);
        foreach ((string token, UpsStatus flag) in Table)
        {
            if ((status & flag) != 0)
            {
                words.Add(token);
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>Replaces the given tokens in a status string while keeping unknown tokens and order.</summary>
    public static string With(string? text, UpsStatus add, UpsStatus remove)
    {
        UpsStatus current = Parse(text);
        var kept = new List<string>();
        if (!string.IsNullOrEmpty(text))
        {
            foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                UpsStatus flag = Parse(word);
                if ((flag & remove) == 0 || flag == UpsStatus.Other)
                {
                    kept.Add(word);
                }
            }
        }

        string keptText = string.Join(' ', kept);
        UpsStatus missing = add & ~(current & ~remove);
        if (missing == UpsStatus.None)
        {
            return keptText;
        }

        // Rebuild in canonical order so added tokens land where drivers put them.
        UpsStatus known = (Parse(keptText) & ~UpsStatus.Other) | missing;
        string canonical = Format(known);
        var unknown = kept.Where(w => Parse(w) == UpsStatus.Other);
        return string.Join(' ', new[] { canonical }.Concat(unknown).Where(s => s.Length > 0));
    }
}
