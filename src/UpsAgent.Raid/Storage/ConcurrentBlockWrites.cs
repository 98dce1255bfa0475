namespace UpsAgent.Raid.Storage;

/// <summary>
/// Writes several members at once, as md writes a stripe's data and parity blocks together. Which of
/// them reach the media before a crash is not ordered either way, so nothing depends on their order.
/// Small writes stay on the calling thread.
/// </summary>
public static class ConcurrentBlockWrites
{
    /// <summary>
    /// Carries out <paramref name="writes"/>[0..<paramref name="count"/>); an <see cref="IOException"/> lands in
    /// <paramref name="errors"/> at the write's index (null when it succeeded) and does not stop the others.
    /// </summary>
    public static void Run(BlockWrite[] writes, int count, IOException?[] errors)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Math.Min(writes.Length, errors.Length));
        if (count <= 1 || writes[0].Length < ConcurrentBlockReads.MinConcurrentBytes || Environment.ProcessorCount == 1)
        {
            for (int i = 0; i < count; i++)
            {
                errors[i] = WriteOne(writes[i]);
            }

            return;
        }

        Parallel.For(0, count, i => errors[i] = WriteOne(writes[i]));
    }

    private static IOException? WriteOne(BlockWrite write)
    {
        try
        {
            write.Device.Write(write.Offset, write.Buffer.AsSpan(write.BufferOffset, write.Length));
            return null;
        }
        catch (IOException e)
        {
            return e;
        }
    }
}
