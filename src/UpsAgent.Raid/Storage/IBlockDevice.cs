namespace UpsAgent.Raid.Storage;

/// <summary>
/// The port every member sits behind: an image file, a block device, or a fake. Offsets are bytes.
/// Failures surface as <see cref="IOException"/>; the engine turns them into member state.
/// </summary>
public interface IBlockDevice : IDisposable
{
    /// <summary>A path or label used in messages.</summary>
    string Name { get; }

    long LengthBytes { get; }

    void Read(long offset, Span<byte> destination);

    void Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>Returns once everything written so far is durable.</summary>
    void Flush();
}
