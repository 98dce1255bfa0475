using System.Globalization;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Media;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// The medium an image job's sessions must fit ("capacity = ..."): a disc type by name, a size, or (the
/// default) the free space of the file system holding the image, which is what xorriso reports as the
/// capacity of an image file ("-outdev stdio:PATH -tell_media_space"). An append that would end beyond it
/// is refused before anything is written.
/// </summary>
public sealed record JobCapacity
{
    private JobCapacity(long? bytes, string text)
    {
        Bytes = bytes;
        Text = text;
    }

    /// <summary>The free space of the image's file system, looked at when each run starts.</summary>
    public static JobCapacity FreeSpace { get; } = new(null, "free space of the image's file system");

    /// <summary>A fixed size in bytes; null for <see cref="FreeSpace"/>.</summary>
    public long? Bytes { get; }

    /// <summary>How the configuration gave it, for listings and messages.</summary>
    public string Text { get; }

    /// <summary>
    /// Reads "free", a disc type (cd = cd700, cd650, dvd, bd25: the sectors the smallest disc of that type
    /// holds), or a size: digits with an optional fraction and unit. K, M, G and T are powers of 1000, as discs
    /// are labelled ("700M" fits a CD, "4.7G" a DVD); KiB, MiB, GiB and TiB are powers of 1024; s is a
    /// 2048-byte sector, as in xorriso. Throws <see cref="FormatException"/> with the reason.
    /// </summary>
    public static JobCapacity Parse(string text)
    {
        string t = text.Trim();
        if (t.Equals("free", StringComparison.OrdinalIgnoreCase))
        {
            return FreeSpace;
        }

        MediumProfile? medium = t.Equals("cd", StringComparison.OrdinalIgnoreCase) ? MediumProfile.Cd700 : MediumProfile.Find(t);
        if (medium is not null)
        {
            return new JobCapacity(medium.CapacityBytes, $"{t.ToLowerInvariant()} ({medium.Description}, {medium.CapacityBlocks} sectors)");
        }

        int unitAt = t.Length;
        while (unitAt > 0 && char.IsAsciiLetter(t[unitAt - 1]))
        {
            unitAt--;
        }

        string number = t[..unitAt];
        long multiplier = t[unitAt..].ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "S" => IsoFields.BlockBytes,
            "K" or "KB" => 1_000,
            "M" or "MB" => 1_000_000,
            "G" or "GB" => 1_000_000_000,
            "T" or "TB" => 1_000_000_000_000,
            "KI" or "KIB" => 1L << 10,
            "MI" or "MIB" => 1L << 20,
            "GI" or "GIB" => 1L << 30,
            "TI" or "TIB" => 1L << 40,
            _ => 0,
        };
        if (multiplier == 0 || number.Length == 0
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            throw new FormatException(
                $"'{text}' is not a capacity: give free (the image's file system, the default), cd, cd650, cd700, dvd, bd25, or a size such as 700M, 4.7G, 4482MiB, 359000s or a number of bytes");
        }

        // Smallest and largest that make sense: one session's descriptors, and the 2^32 blocks an ISO 9660 block address can reach.
        decimal bytes = decimal.Floor(value * multiplier);
        if (bytes < 64 * IsoFields.BlockBytes || bytes > (decimal)uint.MaxValue * IsoFields.BlockBytes)
        {
            throw new FormatException($"capacity '{text}' is {bytes} bytes; give at least 64 sectors (131072 bytes) and at most 2^32 sectors (8 TiB)");
        }

        return new JobCapacity((long)bytes, string.Create(CultureInfo.InvariantCulture, $"{t} ({(long)bytes} bytes)"));
    }

    /// <summary>
    /// The blocks the image may end at: the fixed size, or the image's present length plus what its file
    /// system has free for this user.
    /// </summary>
    public uint Blocks(string imagePath)
    {
        if (Bytes is long fixedBytes)
        {
            return (uint)(fixedBytes / IsoFields.BlockBytes);
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(imagePath))!;
        long present = File.Exists(imagePath) ? new FileInfo(imagePath).Length : 0;
        long free = new DriveInfo(directory).AvailableFreeSpace;
        long blocks = (present + free) / IsoFields.BlockBytes;
        return (uint)Math.Min(blocks, uint.MaxValue);
    }

    public override string ToString() => Text;
}
