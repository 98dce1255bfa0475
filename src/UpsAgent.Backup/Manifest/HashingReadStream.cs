using System.Security.Cryptography;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// Passes reads through and hashes exactly the bytes handed out, so a manifest states what was written,
/// not what a file held before or after.
/// </summary>
public sealed class HashingReadStream(Stream inner, Action<string, long> onDispose) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytes;
    private bool _disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => _bytes;
        set => throw new NotSupportedException("hashing stream reads forward only");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        _bytes += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("hashing stream reads forward only");

    public override void SetLength(long value) => throw new NotSupportedException("hashing stream reads forward only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("hashing stream reads forward only");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            onDispose(Convert.ToHexStringLower(_hash.GetHashAndReset()), _bytes);
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
