namespace UpsAgent.Raid.Storage;

/// <summary>
/// Reads several members at once, as md issues a stripe's reads to every disk together: each member
/// is a separate disk, so a stripe costs one member's latency instead of the sum. Small reads stay on
/// the calling thread, where handing them out would cost more than it saves.
/// </summary>
public static class ConcurrentBlockReads
{
    /// <summary>Below this many bytes per read the reads run one after another.</summary>
    public const int MinConcurrentBytes = 64 * 1024;

    /// <summary>
    /// Carries out <paramref name="reads"/>[0..<paramref name="count"/>); an <see cref="IOException"/> lands in
    /// <paramref name="errors"/> at the read's index (null when it succeeded) and does not stop the others.
    /// </summary>
    public static void Run(BlockRead[] reads, int count, IOException?[] errors)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Math.Min(reads.Length, errors.Length));
        if (count <= 1 || reads[0].Length < MinConcurrentBytes || Environment.ProcessorCount == 1)
        {
            for (int i = 0; i < count; i++)
            {
                errors[i] = ReadOne(reads[i]);
            }

            return;
        }

        Parallel.For(0, count, i => errors[i] = ReadOne(reads[i]));
    }

    private static IOException? ReadOne(BlockRead read)
    {
        try
        {
            read.Device.Read(read.Offset, read.Buffer.AsSpan(read.BufferOffset, read.Length));
            return null;
        }
        catch (IOException e)
        {
            return e;
        }
    }
}
