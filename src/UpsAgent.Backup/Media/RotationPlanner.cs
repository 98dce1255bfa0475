using System.Globalization;

namespace UpsAgent.Backup.Media;

/// <summary>
/// Pure choice of the next medium of a rotation set (Amanda's tapecycle, Bacula's recycling, in small): media
/// are used in turn, blank ones first, then the one written longest ago. The medium holding the newest backup
/// that verified good is never blanked, whatever the turn says: if last night's write to B failed its
/// verification, tonight B is reused and A, the only good backup, is kept. A set of one medium that holds
/// the newest good backup is refused rather than wiped (the seed's nightly accident).
/// </summary>
public static class RotationPlanner
{
    public static RotationDecision Next(IReadOnlyList<RotationMedium> set)
    {
        if (set.Count == 0)
        {
            return new RotationDecision(RotationAction.Refuse, null, "the rotation set is empty");
        }

        string? duplicate = set.GroupBy(m => m.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            return new RotationDecision(RotationAction.Refuse, null, $"label {duplicate} appears twice in the rotation set");
        }

        RotationMedium? keep = NewestGood(set);
        var reasons = new List<string>();
        IEnumerable<RotationMedium> turn = set
            .Select((m, i) => (Medium: m, Index: i))
            .OrderBy(x => x.Medium.State == MediumState.Blank ? 0 : 1)
            .ThenBy(x => x.Medium.LastWrittenTime)
            .ThenBy(x => x.Index)
            .Select(x => x.Medium);
        foreach (RotationMedium m in turn)
        {
            if (ReferenceEquals(m, keep))
            {
                reasons.Add($"{m.Label} holds the newest good backup ({Time(m.LastGoodTime)})");
                continue;
            }

            if (m.State == MediumState.Blank)
            {
                return new RotationDecision(RotationAction.Write, m.Label, $"{m.Label} is blank");
            }

            if (!m.Rewritable)
            {
                reasons.Add($"{m.Label} is written and cannot be blanked");
                continue;
            }

            string why = m.LastWrittenTime == 0 ? $"{m.Label} holds nothing this catalog wrote" : $"{m.Label} was written longest ago ({Time(m.LastWrittenTime)})";
            if (keep is not null)
            {
                why += $"; {keep.Label} keeps the newest good backup ({Time(keep.LastGoodTime)})";
            }

            return new RotationDecision(RotationAction.BlankAndWrite, m.Label, why);
        }

        string advice = set.Count == 1 ? "; add a second medium to the set" : "";
        return new RotationDecision(RotationAction.Refuse, null, $"no medium may be used: {string.Join(", ", reasons)}{advice}");
    }

    /// <summary>The medium whose good backup is newest; a medium blanked since then no longer holds it.</summary>
    public static RotationMedium? NewestGood(IReadOnlyList<RotationMedium> set) =>
        set.Where(m => m.LastGoodTime > 0 && m.State != MediumState.Blank).MaxBy(m => m.LastGoodTime);

    private static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
