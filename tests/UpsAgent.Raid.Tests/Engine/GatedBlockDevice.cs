using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Tests.Engine;

/// <summary>
/// Holds one chosen write (the next after <see cref="HoldNextWrite"/>) before it reaches the inner
/// device, until <see cref="Release"/>: a slow disk with one request stuck in its queue.
/// </summary>
internal sealed class GatedBlockDevice(IBlockDevice inner) : IBlockDevice
{
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private int _armed;

    public ManualResetEventSlim Held { get; } = new(initialState: false);

    public string Name => inner.Name;

    public long LengthBytes => inner.LengthBytes;

    public void HoldNextWrite()
    {
        _open.Reset();
        Volatile.Write(ref _armed, 1);
    }

    public void Release() => _open.Set();

    public void Read(long offset, Span<byte> destination) => inner.Read(offset, destination);

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Held.Set();
            _open.Wait(TimeSpan.FromSeconds(60));
        }

        inner.Write(offset, source);
    }

    public void Flush() => inner.Flush();

    public void Dispose() => inner.Dispose();
}
