using UpsAgent.Raid.Geometry;

namespace UpsAgent.Raid.Metadata;

/// <summary>mdadm's layout names (maps.c r5layout/r6layout; RAID10 n2/f2/o2) to layout numbers and back.</summary>
public static class LayoutNames
{
    private static readonly (string Name, ParityAlgorithm Algorithm)[] s_raid5 =
    [
        ("left-asymmetric", ParityAlgorithm.LeftAsymmetric), ("right-asymmetric", ParityAlgorithm.RightAsymmetric),
        ("left-symmetric", ParityAlgorithm.LeftSymmetric), ("right-symmetric", ParityAlgorithm.RightSymmetric),
        ("default", ParityAlgorithm.LeftSymmetric), ("la", ParityAlgorithm.LeftAsymmetric), ("ra", ParityAlgorithm.RightAsymmetric),
        ("ls", ParityAlgorithm.LeftSymmetric), ("rs", ParityAlgorithm.RightSymmetric),
        ("parity-first", ParityAlgorithm.ParityFirst), ("parity-last", ParityAlgorithm.ParityLast),
    ];

    private static readonly (string Name, ParityAlgorithm Algorithm)[] s_raid6Extra =
    [
        ("left-asymmetric-6", ParityAlgorithm.LeftAsymmetric6), ("right-asymmetric-6", ParityAlgorithm.RightAsymmetric6),
        ("left-symmetric-6", ParityAlgorithm.LeftSymmetric6), ("right-symmetric-6", ParityAlgorithm.RightSymmetric6),
        ("parity-first-6", ParityAlgorithm.ParityFirst6),
    ];

    public static int Default(RaidLevel level) => level switch
    {
        RaidLevel.Raid5 or RaidLevel.Raid6 => (int)ParityAlgorithm.LeftSymmetric,
        RaidLevel.Raid10 => Raid10Layout.Near2.Encode(),
        _ => 0,
    };

    /// <summary>The layout number for a name, or null with the accepted names in <paramref name="problem"/>.</summary>
    public static int? Parse(RaidLevel level, string name, out string problem)
    {
        problem = string.Empty;
        string lower = name.ToLowerInvariant();
        switch (level)
        {
            case RaidLevel.Raid5:
            case RaidLevel.Raid6:
                foreach ((string n, ParityAlgorithm a) in level == RaidLevel.Raid6 ? [.. s_raid5, .. s_raid6Extra] : s_raid5)
                {
                    if (n == lower)
                    {
                        return (int)a;
                    }
                }

                problem = $"layout '{name}' is not a RAID{(int)level} layout (try left-symmetric, right-symmetric, left-asymmetric, right-asymmetric, parity-first, parity-last{(level == RaidLevel.Raid6 ? ", left-symmetric-6, ..." : string.Empty)})";
                return null;
            case RaidLevel.Raid10:
                if (lower.Length >= 2 && lower[0] is 'n' or 'f' or 'o' && int.TryParse(lower[1..], out int copies) && copies is >= 1 and <= 255)
                {
                    return lower[0] switch
                    {
                        'n' => new Raid10Layout(copies, 1, false).Encode(),
                        'f' => new Raid10Layout(1, copies, false).Encode(),
                        _ => new Raid10Layout(1, copies, true).Encode(),
                    };
                }

                problem = $"layout '{name}' is not a RAID10 layout (n2, f2, o2, ...)";
                return null;
            case RaidLevel.Raid4:
                if (lower is "parity-last" or "default")
                {
                    return 0;
                }

                problem = "RAID4 has one layout: parity-last";
                return null;
            default:
                problem = $"RAID{(int)level} takes no layout";
                return null;
        }
    }

    public static string Describe(RaidLevel level, int layout) => level switch
    {
        RaidLevel.Raid5 or RaidLevel.Raid6 => Array.Find([.. s_raid5[..4], .. s_raid5[9..], .. s_raid6Extra], e => (int)e.Algorithm == layout).Name ?? $"unknown ({layout})",
        RaidLevel.Raid10 => Raid10Layout.Decode(layout).ToString(),
        RaidLevel.Raid4 => "parity-last",
        _ => "-",
    };
}
