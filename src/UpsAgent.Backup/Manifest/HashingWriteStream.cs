using System.Security.Cryptography;

namespace UpsAgent.Backup.Manifest;

/// <summary>Passes writes through and hashes the first <c>hashedBytes</c> of them (the session's metadata blocks).</summary>
public sealed class HashingWriteStream(Stream inner, long hashedBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _position;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("hashing stream writes forward only");
    }

    /// <summary>SHA-256 of the hashed range, once all of it went through.</summary>
    public string Sha256()
    {
        if (_position < hashedBytes)
        {
            throw new InvalidOperationException($"only {_position} of the {hashedBytes} hashed bytes were written");
        }

        return Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_position < hashedBytes)
        {
            _hash.AppendData(buffer[..(int)Math.Min(buffer.Length, hashedBytes - _position)]);
        }

        inner.Write(buffer);
        _position += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("hashing stream writes forward only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("hashing stream writes forward only");

    public override void SetLength(long value) => throw new NotSupportedException("hashing stream writes forward only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
