using UpsAgent.Raid.Storage;

namespace UpsAgent.TestKit.Storage;

/// <summary>
/// Wraps a device and fails on demand: at once (<see cref="Vanish"/>), after a number of writes, or for
/// reads only. Failures are <see cref="IOException"/>s, like a disk that went away.
/// </summary>
public sealed class FaultyBlockDevice : IBlockDevice
{
    private readonly IBlockDevice _inner;
    private int _writesBeforeFailure = -1;

    public FaultyBlockDevice(IBlockDevice inner, PowerRail? rail = null)
    {
        _inner = inner;
        _rail = rail;
    }

    private readonly PowerRail? _rail;

    public string Name => _inner.Name;

    public long LengthBytes => _inner.LengthBytes;

    public bool Gone
    {
        get => _gone || _rail?.Off == true;
        private set => _gone = value;
    }

    private bool _gone;

    public bool FailReads { get; set; }

    public IBlockDevice Inner => _inner;

    public void Vanish() => Gone = true;

    /// <summary>The next <paramref name="count"/> writes succeed; after that the device is gone.</summary>
    public void FailAfterWrites(int count) => _writesBeforeFailure = count;

    public void Read(long offset, Span<byte> destination)
    {
        if (Gone || FailReads)
        {
            throw new IOException($"{Name}: read error (injected)");
        }

        _inner.Read(offset, destination);
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        if (_writesBeforeFailure == 0)
        {
            Gone = true;
        }

        if (Gone || (_rail is not null && !_rail.TryWrite()))
        {
            throw new IOException($"{Name}: write error (injected)");
        }

        if (_writesBeforeFailure > 0)
        {
            _writesBeforeFailure--;
        }

        _inner.Write(offset, source);
    }

    public void Flush()
    {
        if (Gone)
        {
            throw new IOException($"{Name}: flush error (injected)");
        }

        _inner.Flush();
    }

    public void Dispose() => _inner.Dispose();
}
