using System.Buffers.Binary;
using System.Text;
using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Media;

/// <summary>
/// The table of contents of an image file, as xorriso emulates it for overwritable media (specs/iso.md §3.5):
/// the descriptor at block 16 gives the volume's end; when a first session starts at block 32 the sessions are
/// chained, each at roundup32(start + size) of the one before, each with its own descriptor at start + 16.
/// Otherwise the image is one session at block 0.
/// </summary>
public static class ImageToc
{
    public const long SessionAlignBlocks = 32;

    /// <summary>Sessions of the image, oldest first; empty for a blank medium (no descriptor at block 16).</summary>
    public static List<MediumSession> Read(Stream image)
    {
        var sessions = new List<MediumSession>();
        if (!TryReadPrimary(image, 0, out long volumeBlocks, out string volumeId))
        {
            return sessions;
        }

        long lba = SessionAlignBlocks;
        while (lba < volumeBlocks && TryReadPrimary(image, lba, out long blocks, out string id) && lba + blocks <= volumeBlocks)
        {
            sessions.Add(new MediumSession(sessions.Count + 1, lba, blocks, id));
            lba = RoundUp(lba + blocks);
        }

        if (sessions.Count == 0)
        {
            sessions.Add(new MediumSession(1, 0, volumeBlocks, volumeId));
        }

        return sessions;
    }

    /// <summary>The absolute end of the newest session: the volume space size of the descriptor at block 16.</summary>
    public static long VolumeEnd(Stream image) => TryReadPrimary(image, 0, out long blocks, out _) ? blocks : 0;

    public static long RoundUp(long lba) => (lba + SessionAlignBlocks - 1) / SessionAlignBlocks * SessionAlignBlocks;

    private static bool TryReadPrimary(Stream image, long sessionLba, out long volumeBlocks, out string volumeId)
    {
        volumeBlocks = 0;
        volumeId = "";
        long at = (sessionLba + 16) * IsoFields.BlockBytes;
        if (image.Length < at + IsoFields.BlockBytes)
        {
            return false;
        }

        byte[] block = new byte[IsoFields.BlockBytes];
        image.Position = at;
        image.ReadExactly(block);
        if (block[0] != 1 || !block.AsSpan(1, 5).SequenceEqual("CD001"u8) || !IsoFields.TryRead733(block.AsSpan(80), out uint blocks))
        {
            return false;
        }

        volumeBlocks = blocks;
        volumeId = Encoding.ASCII.GetString(block, 40, 32).TrimEnd(' ', '\0');
        return BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(128)) == IsoFields.BlockBytes;
    }
}
