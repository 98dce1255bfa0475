namespace UpsAgent.Raid.Metadata;

/// <summary>
/// What mdadm 4.2 chooses at create time for v1.2 metadata (super1.c validate_geometry1, choose_bm_space;
/// spec raid.md §1, measured table), so our members look like the ones mdadm makes.
/// </summary>
public static class MdCreateDefaults
{
    public const int ChunkKib = 512;
    public const long BadBlockLogSectors = 8;

    /// <summary>Sectors reserved after the superblock for a bitmap: 8 up to 8 GiB, 128 above, 256 from 200 GiB.</summary>
    public static long BitmapSpaceSectors(long deviceSectors) =>
        deviceSectors - 128 >= 200L * 1024 * 1024 * 2 ? 256
        : deviceSectors - 8 > 8L * 1024 * 1024 * 2 ? 128
        : 8;

    /// <summary>Default data_offset: 128 MiB headroom halved for small devices, rounded up to 1 MiB.</summary>
    public static long DataOffsetSectors(long deviceSectors, int chunkSectors)
    {
        long headroom = 128L * 1024 * 2;
        while (headroom * 1024 > deviceSectors && (chunkSectors == 0 || headroom / 2 >= 2L * chunkSectors))
        {
            headroom /= 2;
        }

        long raw = 24 + BitmapSpaceSectors(deviceSectors) + headroom;
        return (raw + 2047) / 2048 * 2048;
    }

    /// <summary>bblog_offset: right after the bitmap reservation (RAID0 has none, so it sits at +8).</summary>
    public static int BadBlockLogOffset(long deviceSectors, bool hasRedundancy) =>
        (int)(8 + (hasRedundancy ? BitmapSpaceSectors(deviceSectors) : 0));
}
