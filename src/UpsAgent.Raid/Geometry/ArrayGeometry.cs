namespace UpsAgent.Raid.Geometry;

/// <summary>
/// The shape of an md array: level, member count, chunk and layout, and the sectors each member
/// contributes (the superblock's "size"). Maps logical sectors to member sectors counted from each
/// member's data offset; pure, no I/O.
/// </summary>
public sealed class ArrayGeometry
{
    public const int SectorBytes = 512;

    private readonly ParityRow[] _rows;

    public ArrayGeometry(RaidLevel level, int raidDisks, int chunkSectors, int layout, long memberSectors)
    {
        string? problem = Validate(level, raidDisks, chunkSectors, layout);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        Level = level;
        RaidDisks = raidDisks;
        ChunkSectors = level == RaidLevel.Raid1 ? 0 : chunkSectors;
        Layout = layout;
        // md uses whole chunks only (RAID1: any size; mdadm rounds it to 64 KiB itself).
        MemberSectors = level == RaidLevel.Raid1 ? memberSectors : memberSectors / chunkSectors * chunkSectors;
        if (IsParity)
        {
            var algorithm = (ParityAlgorithm)layout;
            _rows = new ParityRow[ParityPlacement.Period(level, algorithm, raidDisks)];
            for (int i = 0; i < _rows.Length; i++)
            {
                _rows[i] = ParityPlacement.Compute(level, algorithm, raidDisks, i);
            }
        }
        else
        {
            _rows = [];
        }

        if (level == RaidLevel.Raid10)
        {
            Raid10 = Raid10Layout.Decode(layout);
            // md raid10 calc_sectors: chunks in the array, then the per-device stride between far copies.
            long chunks = MemberSectors / chunkSectors / Raid10.Far * raidDisks / Raid10.Near;
            long usedPerDevice = (chunks * Raid10.Copies + raidDisks - 1) / raidDisks;
            FarStrideSectors = Raid10.Offset ? chunkSectors : usedPerDevice / Raid10.Far * chunkSectors;
            ArraySectors = chunks * chunkSectors;
        }
        else
        {
            ArraySectors = level switch
            {
                RaidLevel.Raid1 => MemberSectors,
                _ => MemberSectors * DataDisks,
            };
        }
    }

    public RaidLevel Level { get; }

    public int RaidDisks { get; }

    public int ChunkSectors { get; }

    public int ChunkBytes => ChunkSectors * SectorBytes;

    public int Layout { get; }

    public long MemberSectors { get; }

    public long ArraySectors { get; }

    public long ArrayBytes => ArraySectors * SectorBytes;

    public Raid10Layout Raid10 { get; }

    public long FarStrideSectors { get; }

    public bool IsParity => Level is RaidLevel.Raid4 or RaidLevel.Raid5 or RaidLevel.Raid6;

    public bool IsMirror => Level is RaidLevel.Raid1 or RaidLevel.Raid10;

    /// <summary>Members a stripe's data spans (RAID 0/4/5/6); 1 for RAID1.</summary>
    public int DataDisks => Level switch
    {
        RaidLevel.Raid0 => RaidDisks,
        RaidLevel.Raid1 => 1,
        RaidLevel.Raid4 or RaidLevel.Raid5 => RaidDisks - 1,
        RaidLevel.Raid6 => RaidDisks - 2,
        _ => RaidDisks / Raid10Layout.Decode(Layout).Near,
    };

    /// <summary>How many members may be lost without losing data (RAID10: at least this many).</summary>
    public int Redundancy => Level switch
    {
        RaidLevel.Raid0 => 0,
        RaidLevel.Raid1 => RaidDisks - 1,
        RaidLevel.Raid6 => 2,
        RaidLevel.Raid10 => Raid10.Copies - 1,
        _ => 1,
    };

    public int Copies => Level switch
    {
        RaidLevel.Raid1 => RaidDisks,
        RaidLevel.Raid10 => Raid10.Copies,
        _ => 1,
    };

    public static string? Validate(RaidLevel level, int raidDisks, int chunkSectors, int layout)
    {
        int minimum = level switch
        {
            RaidLevel.Raid0 or RaidLevel.Raid1 => 1,
            RaidLevel.Raid4 or RaidLevel.Raid5 or RaidLevel.Raid10 => 2,
            RaidLevel.Raid6 => 4,
            _ => int.MaxValue,
        };
        if (minimum == int.MaxValue)
        {
            return $"RAID level {(int)level} is not supported";
        }

        if (raidDisks < minimum)
        {
            return $"RAID{(int)level} needs at least {minimum} members, got {raidDisks}";
        }

        if (level == RaidLevel.Raid6 && raidDisks - 2 > 255)
        {
            return $"RAID6 allows at most 257 members (GF(2^8) has 255 distinct coefficients), got {raidDisks}";
        }

        if (level != RaidLevel.Raid1 && (chunkSectors < 8 || (chunkSectors & (chunkSectors - 1)) != 0))
        {
            return $"chunk size must be a power of two of at least 4 KiB, got {chunkSectors * 512L / 1024} KiB";
        }

        if (level is RaidLevel.Raid4 or RaidLevel.Raid5 or RaidLevel.Raid6)
        {
            var algorithm = level == RaidLevel.Raid4 ? ParityAlgorithm.ParityLast : (ParityAlgorithm)layout;
            if (level != RaidLevel.Raid4 && !ParityPlacement.Supports(level, algorithm))
            {
                return $"layout {layout} is not supported for RAID{(int)level}";
            }
        }

        if (level == RaidLevel.Raid10)
        {
            Raid10Layout r10 = Raid10Layout.Decode(layout);
            if (r10.Near < 1 || r10.Far < 1 || r10.Copies > raidDisks || (layout >> 17) != 0)
            {
                return $"RAID10 layout 0x{layout:x} is not valid for {raidDisks} members";
            }
        }

        return null;
    }

    /// <summary>The placement of stripe <paramref name="stripe"/> (RAID 4/5/6 only).</summary>
    public ParityRow Row(long stripe) => _rows[(int)(stripe % _rows.Length)];

    /// <summary>RAID 0/4/5/6: the member holding a logical sector.</summary>
    public MemberAddress MapData(long logicalSector)
    {
        long chunk = logicalSector / ChunkSectors;
        long offset = logicalSector % ChunkSectors;
        if (Level == RaidLevel.Raid0)
        {
            return new MemberAddress((int)(chunk % RaidDisks), chunk / RaidDisks * ChunkSectors + offset);
        }

        if (!IsParity)
        {
            throw new InvalidOperationException($"MapData is for striped levels, not {Level}");
        }

        long stripe = chunk / DataDisks;
        int d = (int)(chunk % DataDisks);
        return new MemberAddress(Row(stripe).DataDisk(d), stripe * ChunkSectors + offset);
    }

    /// <summary>RAID 1/10: every copy of a logical sector, in md's order; returns the number written.</summary>
    public int MapCopies(long logicalSector, Span<MemberAddress> copies)
    {
        if (Level == RaidLevel.Raid1)
        {
            for (int i = 0; i < RaidDisks; i++)
            {
                copies[i] = new MemberAddress(i, logicalSector);
            }

            return RaidDisks;
        }

        if (Level != RaidLevel.Raid10)
        {
            throw new InvalidOperationException($"MapCopies is for mirrored levels, not {Level}");
        }

        // md raid10 __raid10_find_phys with the original far-set (far_set_size = raid_disks).
        long chunk = logicalSector / ChunkSectors * Raid10.Near;
        long offset = logicalSector % ChunkSectors;
        long stripe = chunk / RaidDisks;
        int dev = (int)(chunk % RaidDisks);
        if (Raid10.Offset)
        {
            stripe *= Raid10.Far;
        }

        long sector = stripe * ChunkSectors + offset;
        int slot = 0;
        for (int n = 0; n < Raid10.Near; n++)
        {
            int d = dev;
            long s = sector;
            copies[slot++] = new MemberAddress(d, s);
            for (int f = 1; f < Raid10.Far; f++)
            {
                d += Raid10.Near;
                if (d >= RaidDisks)
                {
                    d -= RaidDisks;
                }

                s += FarStrideSectors;
                copies[slot++] = new MemberAddress(d, s);
            }

            dev++;
            if (dev >= RaidDisks)
            {
                dev = 0;
                sector += ChunkSectors;
            }
        }

        return slot;
    }

    /// <summary>
    /// RAID10, the inverse of <see cref="MapCopies"/>: the logical sector whose copy member
    /// <paramref name="disk"/> holds at <paramref name="memberSector"/>, or -1 where the member holds no
    /// copy (past the used rows, or the unused tail of a last row). md raid10_find_virt, checked against
    /// the forward map so a layout corner can never name the wrong chunk.
    /// </summary>
    public long MapToArray(int disk, long memberSector)
    {
        if (Level != RaidLevel.Raid10)
        {
            throw new InvalidOperationException($"MapToArray is for RAID10, not {Level}");
        }

        if (disk < 0 || disk >= RaidDisks || memberSector < 0 || memberSector >= MemberSectors)
        {
            return -1;
        }

        long offset = memberSector % ChunkSectors;
        int dev = disk;
        long row;
        if (Raid10.Offset)
        {
            // Offset layouts keep the far copies of a row in the next rows, each shifted by near disks.
            row = memberSector / ChunkSectors;
            int farCopy = (int)(row % Raid10.Far);
            row /= Raid10.Far;
            dev -= farCopy * Raid10.Near;
        }
        else
        {
            long s = memberSector;
            for (int farCopy = 0; s >= FarStrideSectors; farCopy++)
            {
                if (farCopy + 1 >= Raid10.Far)
                {
                    return -1;
                }

                s -= FarStrideSectors;
                dev -= Raid10.Near;
            }

            row = s / ChunkSectors;
        }

        dev = ((dev % RaidDisks) + RaidDisks) % RaidDisks;
        long chunk = ((row * RaidDisks) + dev) / Raid10.Near;
        if (chunk >= ArraySectors / ChunkSectors)
        {
            return -1;
        }

        long logical = (chunk * ChunkSectors) + offset;
        Span<MemberAddress> copies = stackalloc MemberAddress[Raid10.Copies];
        int count = MapCopies(logical, copies);
        for (int i = 0; i < count; i++)
        {
            if (copies[i].Disk == disk && copies[i].Sector == memberSector)
            {
                return logical;
            }
        }

        return -1;
    }
}
