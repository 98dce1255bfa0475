using System.Diagnostics;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Benchmarks;

/// <summary>
/// A member that behaves like a disk of a fixed speed: one request at a time, each taking its bytes /
/// rate, reads and writes alike. On tmpfs every member is a memory copy done by the same CPUs, so
/// members steal each other's time; this shows how the engine schedules work over members that are
/// separate devices, which is what the rebuild target is about.
/// </summary>
public sealed class PacedBlockDevice(IBlockDevice inner, double bytesPerSecond) : IBlockDevice
{
    private readonly object _disk = new();
    private long _busyUntil;

    public string Name => inner.Name;

    public long LengthBytes => inner.LengthBytes;

    public void Read(long offset, Span<byte> destination)
    {
        lock (_disk)
        {
            inner.Read(offset, destination);
            Occupy(destination.Length);
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        lock (_disk)
        {
            inner.Write(offset, source);
            Occupy(source.Length);
        }
    }

    public void Flush() => inner.Flush();

    public void Dispose() => inner.Dispose();

    // The request ends bytes/rate after the later of now and the end of the previous one; oversleeping
    // one request is made up by the next, so the average rate holds.
    private void Occupy(int bytes)
    {
        long now = Stopwatch.GetTimestamp();
        _busyUntil = Math.Max(_busyUntil, now) + (long)(bytes / bytesPerSecond * Stopwatch.Frequency);
        long wait = _busyUntil - now;
        if (wait > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }
    }
}
