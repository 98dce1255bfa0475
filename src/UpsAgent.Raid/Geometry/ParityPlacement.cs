namespace UpsAgent.Raid.Geometry;

/// <summary>
/// Where P, Q and data sit in one stripe of a RAID 4/5/6 array, as md's raid5_compute_sector places them
/// (spec raid.md §2). Pure: the same stripe number always gives the same row.
/// </summary>
public static class ParityPlacement
{
    public static bool Supports(RaidLevel level, ParityAlgorithm algorithm) => level switch
    {
        RaidLevel.Raid4 => true,
        RaidLevel.Raid5 => (int)algorithm is >= 0 and <= 5,
        RaidLevel.Raid6 => (int)algorithm is (>= 0 and <= 5) or (>= 16 and <= 20),
        _ => false,
    };

    /// <summary>How many stripes before the placement repeats.</summary>
    public static int Period(RaidLevel level, ParityAlgorithm algorithm, int raidDisks) => level switch
    {
        RaidLevel.Raid4 => 1,
        _ => algorithm switch
        {
            ParityAlgorithm.ParityFirst or ParityAlgorithm.ParityLast or ParityAlgorithm.ParityFirst6 => 1,
            >= ParityAlgorithm.LeftAsymmetric6 => raidDisks - 1,
            _ => raidDisks,
        },
    };

    public static ParityRow Compute(RaidLevel level, ParityAlgorithm algorithm, int raidDisks, long stripe)
    {
        if (!Supports(level, algorithm))
        {
            throw new ArgumentException($"layout {(int)algorithm} is not supported for {level}", nameof(algorithm));
        }

        int n = raidDisks;
        int dataCount = level == RaidLevel.Raid6 ? n - 2 : n - 1;
        int[] data = new int[dataCount];
        int pd;
        int qd = -1;
        if (level == RaidLevel.Raid4)
        {
            pd = dataCount;
            for (int d = 0; d < dataCount; d++)
            {
                data[d] = d;
            }
        }
        else if (level == RaidLevel.Raid5)
        {
            int rot = (int)(stripe % n);
            pd = algorithm switch
            {
                ParityAlgorithm.LeftAsymmetric or ParityAlgorithm.LeftSymmetric => dataCount - rot,
                ParityAlgorithm.RightAsymmetric or ParityAlgorithm.RightSymmetric => rot,
                ParityAlgorithm.ParityFirst => 0,
                _ => dataCount,
            };
            for (int d = 0; d < dataCount; d++)
            {
                data[d] = algorithm switch
                {
                    ParityAlgorithm.LeftSymmetric or ParityAlgorithm.RightSymmetric => (pd + 1 + d) % n,
                    ParityAlgorithm.ParityFirst => d + 1,
                    ParityAlgorithm.ParityLast => d,
                    _ => d >= pd ? d + 1 : d,
                };
            }
        }
        else
        {
            (pd, qd) = PlaceRaid6(algorithm, n, dataCount, stripe, data);
        }

        return new ParityRow(pd, qd, data, SyndromeOrder(level, n, pd, qd, data));
    }

    private static (int Pd, int Qd) PlaceRaid6(ParityAlgorithm algorithm, int n, int dataCount, long stripe, int[] data)
    {
        int rot = (int)(stripe % n);
        int rot6 = (int)(stripe % (n - 1));
        int pd;
        int qd;
        switch (algorithm)
        {
            case ParityAlgorithm.LeftAsymmetric:
            case ParityAlgorithm.RightAsymmetric:
                pd = algorithm == ParityAlgorithm.LeftAsymmetric ? n - 1 - rot : rot;
                qd = pd + 1;
                if (pd == n - 1)
                {
                    // "Q D D D P": Q wraps to disk 0 and data shifts by one.
                    qd = 0;
                    for (int d = 0; d < dataCount; d++)
                    {
                        data[d] = d + 1;
                    }
                }
                else
                {
                    for (int d = 0; d < dataCount; d++)
                    {
                        data[d] = d >= pd ? d + 2 : d;
                    }
                }

                break;
            case ParityAlgorithm.LeftSymmetric:
            case ParityAlgorithm.RightSymmetric:
                pd = algorithm == ParityAlgorithm.LeftSymmetric ? n - 1 - rot : rot;
                qd = (pd + 1) % n;
                for (int d = 0; d < dataCount; d++)
                {
                    data[d] = (pd + 2 + d) % n;
                }

                break;
            case ParityAlgorithm.ParityFirst:
                pd = 0;
                qd = 1;
                for (int d = 0; d < dataCount; d++)
                {
                    data[d] = d + 2;
                }

                break;
            case ParityAlgorithm.ParityLast:
                pd = dataCount;
                qd = dataCount + 1;
                for (int d = 0; d < dataCount; d++)
                {
                    data[d] = d;
                }

                break;
            case ParityAlgorithm.LeftAsymmetric6:
            case ParityAlgorithm.RightAsymmetric6:
                pd = algorithm == ParityAlgorithm.LeftAsymmetric6 ? dataCount - rot6 : rot6;
                qd = n - 1;
                for (int d = 0; d < dataCount; d++)
                {
                    data[d] = d >= pd ? d + 1 : d;
                }

                break;
            case ParityAlgorithm.LeftSymmetric6:
            case ParityAlgorithm.RightSymmetric6:
                pd = algorithm == ParityAlgorithm.LeftSymmetric6 ? dataCount - rot6 : rot6;
                qd = n - 1;
                for (int d = 0; d < dataCount; d++)
                {
                    data[d] = (pd + 1 + d) % (n - 1);
                }

                break;
            default: // ParityFirst6
                pd = 0;
                qd = n - 1;
                for (int d = 0; d < dataCount; d++)
                {
                    data[d] = d + 1;
                }

                break;
        }

        return (pd, qd);
    }

    // md computes Q over the data disks in device order starting just after Q (raid6_d0, raid6_idx_to_slot),
    // which differs from the logical order for the asymmetric layouts. P is a plain XOR, so RAID 4/5 keep
    // the logical order.
    private static int[] SyndromeOrder(RaidLevel level, int n, int pd, int qd, int[] data)
    {
        if (level != RaidLevel.Raid6)
        {
            return (int[])data.Clone();
        }

        int[] slots = new int[data.Length];
        int start = qd == n - 1 ? 0 : qd + 1;
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            int disk = (start + i) % n;
            if (disk != pd && disk != qd)
            {
                slots[count++] = disk;
            }
        }

        return slots;
    }
}
