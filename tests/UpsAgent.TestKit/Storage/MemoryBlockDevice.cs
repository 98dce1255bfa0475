using UpsAgent.Raid.Storage;

namespace UpsAgent.TestKit.Storage;

/// <summary>
/// A member held in memory. With <see cref="VolatileCache"/> set, writes sit in a cache until Flush,
/// and <see cref="LosePower"/> keeps a random subset of them, as a disk with a write-back cache would.
/// </summary>
public sealed class MemoryBlockDevice : IBlockDevice
{
    private readonly object _gate = new();
    private readonly byte[] _media;
    private readonly List<(long Offset, byte[] Data)> _pending = [];

    public MemoryBlockDevice(string name, long lengthBytes)
    {
        Name = name;
        _media = new byte[lengthBytes];
    }

    public string Name { get; }

    public long LengthBytes => _media.Length;

    public bool VolatileCache { get; set; }

    public int Writes { get; private set; }

    /// <summary>The durable bytes (what would survive a power cut now).</summary>
    public byte[] Media => _media;

    public void Read(long offset, Span<byte> destination)
    {
        lock (_gate)
        {
            Check(offset, destination.Length);
            _media.AsSpan((int)offset, destination.Length).CopyTo(destination);
            foreach ((long o, byte[] d) in _pending)
            {
                Overlay(o, d, offset, destination);
            }
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        lock (_gate)
        {
            Check(offset, source.Length);
            Writes++;
            if (VolatileCache)
            {
                _pending.Add((offset, source.ToArray()));
            }
            else
            {
                source.CopyTo(_media.AsSpan((int)offset));
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            foreach ((long o, byte[] d) in _pending)
            {
                d.CopyTo(_media, o);
            }

            _pending.Clear();
        }
    }

    /// <summary>Drops the cache, keeping each unflushed write with probability one half.</summary>
    public void LosePower(Random random)
    {
        lock (_gate)
        {
            foreach ((long o, byte[] d) in _pending)
            {
                if (random.Next(2) == 0)
                {
                    d.CopyTo(_media, o);
                }
            }

            _pending.Clear();
        }
    }

    public void Dispose()
    {
    }

    private static void Overlay(long writeOffset, byte[] data, long readOffset, Span<byte> destination)
    {
        long start = Math.Max(writeOffset, readOffset);
        long end = Math.Min(writeOffset + data.Length, readOffset + destination.Length);
        if (start < end)
        {
            data.AsSpan((int)(start - writeOffset), (int)(end - start)).CopyTo(destination[(int)(start - readOffset)..]);
        }
    }

    private void Check(long offset, int count)
    {
        if (offset < 0 || offset + count > _media.Length)
        {
            throw new IOException($"{Name}: bytes {offset}..{offset + count} are outside {_media.Length}");
        }
    }
}
