namespace UpsAgent.Backup.Iso9660;

/// <summary>How <see cref="IsoWriter"/> treats its output stream.</summary>
public sealed record IsoWriteOptions
{
    /// <summary>
    /// The output is a seekable file whose bytes from the session start onwards are known to be zero
    /// (new, or truncated there): runs of zero blocks become holes instead of writes, so a sparse source
    /// gives a sparse image.
    /// </summary>
    public bool SparseOutput { get; init; }

    /// <summary>
    /// File data goes from a source file to an image file by copy_file_range, inside the kernel, when both
    /// are files and the kernel can copy between them; otherwise (and when false) through a buffer.
    /// </summary>
    public bool KernelCopy { get; init; } = true;

    /// <summary>Called with the number of file-data bytes copied so far, after each buffer.</summary>
    public Action<long>? OnDataBytes { get; init; }
}
