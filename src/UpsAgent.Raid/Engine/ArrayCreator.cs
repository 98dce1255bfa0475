using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

/// <summary>
/// Writes v1.2 superblocks for a new array the way mdadm 4.2 lays them out (spec raid.md §1) and returns
/// it running. Unless the members are known to be zero, the first pass makes parity and mirrors agree.
/// </summary>
public static class ArrayCreator
{
    /// <summary>Where mdadm puts an internal bitmap: 8 sectors after the superblock (spec raid.md §3).</summary>
    public const int BitmapOffsetSectors = 8;

    public static RaidArray Create(IReadOnlyList<IBlockDevice?> members, ArrayCreateOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        int n = members.Count;
        int chunkSectors = options.Level == RaidLevel.Raid1 ? 0 : options.ChunkKib * 2;
        int layout = options.Layout ?? LayoutNames.Default(options.Level);
        string? problem = ArrayGeometry.Validate(options.Level, n, Math.Max(chunkSectors, 8), layout);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        IBlockDevice[] present = [.. members.Where(m => m is not null).Cast<IBlockDevice>()];
        if (present.Length == 0)
        {
            throw new ArgumentException("every member is 'missing'");
        }

        long smallest = present.Min(d => d.LengthBytes / 512);
        long dataOffset = options.DataOffsetSectors ?? MdCreateDefaults.DataOffsetSectors(smallest, chunkSectors);
        long usable = smallest - dataOffset;
        // mdadm rounds the per-member size down to the chunk (RAID1: to 64 KiB).
        long round = options.Level == RaidLevel.Raid1 ? 128 : chunkSectors;
        long size = usable / round * round;
        if (size <= 0)
        {
            IBlockDevice small = present.First(d => d.LengthBytes / 512 == smallest);
            throw new ArgumentException($"{small.Name} is too small: {small.LengthBytes} bytes leave no room after a data offset of {dataOffset * 512} bytes");
        }

        var geometry = new ArrayGeometry(options.Level, n, Math.Max(chunkSectors, 8), layout, size);
        if (options.Bitmap && options.Level == RaidLevel.Raid0)
        {
            throw new ArgumentException("RAID0 has no redundancy, so a write-intent bitmap has nothing to protect (mdadm refuses it too)");
        }

        // mdadm puts an internal bitmap right after the superblock, 8 sectors on (add_internal_bitmap1).
        long bitmapSpace = MdCreateDefaults.BitmapSpaceSectors(smallest);
        if (options.Bitmap && dataOffset < MdSuperblock.SuperOffsetSectorsV12 + BitmapOffsetSectors + bitmapSpace)
        {
            throw new ArgumentException($"a data offset of {dataOffset} sectors leaves no room for a {bitmapSpace}-sector bitmap");
        }

        DateTimeOffset now = time.GetUtcNow();
        var array = new MdSuperblock
        {
            SetUuid = MdUuid.NewRandom(),
            SetName = options.Name,
            CreationTime = now,
            UpdateTime = now,
            Level = (int)options.Level,
            Layout = options.Level is RaidLevel.Raid0 or RaidLevel.Raid1 ? 0 : layout,
            Size = (ulong)size,
            ChunkSectors = (uint)chunkSectors,
            RaidDisks = (uint)n,
            DataOffset = (ulong)dataOffset,
            Events = 0,
            ResyncOffset = 0,
            BadBlockLogSize = (ushort)MdCreateDefaults.BadBlockLogSectors,
            BadBlockLogOffset = MdCreateDefaults.BadBlockLogOffset(smallest, options.Level != RaidLevel.Raid0),
        };
        if (options.Bitmap)
        {
            array.FeatureMap |= MdFeatures.BitmapOffset;
            array.BitmapOffset = BitmapOffsetSectors;
        }

        var built = new List<RaidMember>();
        for (int slot = 0; slot < n; slot++)
        {
            IBlockDevice? device = members[slot];
            if (device is null)
            {
                continue;
            }

            array.DevRoles[slot] = (ushort)slot;
            MdSuperblock sb = array.Clone();
            sb.DeviceUuid = MdUuid.NewRandom();
            sb.DevNumber = (uint)slot;
            sb.DataSize = (ulong)(device.LengthBytes / 512 - dataOffset);
            built.Add(new RaidMember(device, sb, MemberState.InSync, slot));
        }

        var raid = new RaidArray(geometry, array, built, time);
        if (options.Bitmap)
        {
            long sync = RaidArray.SyncDomainSectors(geometry);
            uint chunk = BitmapSuperblock.ChooseChunkBytes(sync, bitmapSpace, options.BitmapChunkBytes);
            raid.AttachBitmap(WriteIntentBitmap.Create(array.SetUuid, sync, chunk, bitmapSpace, 0));
        }

        // Writing the superblocks bumps events to 1, as a fresh mdadm member shows.
        raid.Initialise(options.AssumeClean || geometry.Level == RaidLevel.Raid0, cancellationToken);
        return raid;
    }
}
