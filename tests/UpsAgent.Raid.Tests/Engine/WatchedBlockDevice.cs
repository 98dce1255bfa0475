using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Tests.Engine;

/// <summary>
/// Passes everything to the inner device and lets a test watch it: every read's range is logged, and
/// <see cref="AfterWrite"/> runs once a write has landed (on the writer's thread).
/// </summary>
internal sealed class WatchedBlockDevice(IBlockDevice inner) : IBlockDevice
{
    private readonly List<(long Offset, int Length)> _reads = [];
    private readonly List<(long Offset, int Length)> _writes = [];

    public Action<long, int>? AfterWrite { get; set; }

    public string Name => inner.Name;

    public long LengthBytes => inner.LengthBytes;

    public IReadOnlyList<(long Offset, int Length)> Reads
    {
        get { lock (_reads) { return [.. _reads]; } }
    }

    public IReadOnlyList<(long Offset, int Length)> Writes
    {
        get { lock (_writes) { return [.. _writes]; } }
    }

    public void ClearLogs()
    {
        lock (_reads)
        {
            _reads.Clear();
        }

        lock (_writes)
        {
            _writes.Clear();
        }
    }

    public void Read(long offset, Span<byte> destination)
    {
        lock (_reads)
        {
            _reads.Add((offset, destination.Length));
        }

        inner.Read(offset, destination);
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        inner.Write(offset, source);
        lock (_writes)
        {
            _writes.Add((offset, source.Length));
        }

        AfterWrite?.Invoke(offset, source.Length);
    }

    public void Flush() => inner.Flush();

    public void Dispose() => inner.Dispose();
}
