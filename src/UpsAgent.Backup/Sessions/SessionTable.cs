using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Sessions;

/// <summary>
/// The sessions of an image file, found the way libisoburn emulates a TOC on overwritable media
/// (specs/iso.md §3.5): the descriptor copy at block 16 gives the absolute end; session 1 starts at block
/// 32; each session's own primary descriptor (at start + 16) gives its size; the next starts at the
/// 32-block boundary after it. Without a descriptor at block 48 the image is one session at block 0.
/// </summary>
public sealed class SessionTable
{
    /// <summary>Sessions start on 32-block (64 KiB) boundaries, the first after the 32-block header.</summary>
    public const uint Alignment = 32;

    private SessionTable(SessionLayout layout, IReadOnlyList<IsoSession> sessions, uint endLba)
    {
        Layout = layout;
        Sessions = sessions;
        EndLba = endLba;
    }

    public SessionLayout Layout { get; }

    public IReadOnlyList<IsoSession> Sessions { get; }

    /// <summary>First block after the newest session (the volume space size stated at block 16); 0 when blank.</summary>
    public uint EndLba { get; }

    public bool IsBlank => Layout == SessionLayout.Blank;

    public IsoSession? Newest => Sessions.Count == 0 ? null : Sessions[^1];

    public uint NextWritableLba => IsBlank ? Alignment : RoundUp(EndLba);

    public MsInfo MsInfo => new(Newest?.StartLba ?? 0, NextWritableLba);

    public static uint RoundUp(uint lba) => (uint)(((ulong)lba + Alignment - 1) / Alignment * Alignment);

    public static SessionTable Read(Stream image)
    {
        if (HoldsNoSession(image))
        {
            return new SessionTable(SessionLayout.Blank, [], 0);
        }

        IsoImage newest = IsoImage.Open(image, 0);
        uint end = newest.VolumeEndLba;
        if (end <= Alignment + 16 || !IsPrimaryDescriptor(image, Alignment + 16))
        {
            return new SessionTable(SessionLayout.SingleAtZero, [new IsoSession(1, 0, end, newest.VolumeId, newest.RecordingTime)], end);
        }

        var sessions = new List<IsoSession>();
        uint lba = Alignment;
        while (lba < end)
        {
            IsoImage session;
            try
            {
                session = IsoImage.Open(image, lba);
            }
            catch (IsoFormatException e)
            {
                throw new IsoFormatException($"session {sessions.Count + 1} at block {lba}: {e.Message}");
            }

            if (session.VolumeEndLba > end)
            {
                throw new IsoFormatException($"session {sessions.Count + 1} at block {lba} states {session.VolumeBlocks} blocks, past the image end at block {end} stated at block 16");
            }

            sessions.Add(new IsoSession(sessions.Count + 1, lba, session.VolumeBlocks, session.VolumeId, session.RecordingTime));
            lba = RoundUp(session.VolumeEndLba);
        }

        if (sessions[^1].EndLba != end)
        {
            throw new IsoFormatException($"the newest session ends at block {sessions[^1].EndLba} but block 16 states the image ends at block {end}");
        }

        return new SessionTable(SessionLayout.Grown, sessions, end);
    }

    /// <summary>Opens session <paramref name="number"/> (1-based) for reading through its own descriptors.</summary>
    public IsoImage Open(Stream image, int number)
    {
        if (number < 1 || number > Sessions.Count)
        {
            throw new IsoFormatException(Sessions.Count == 0 ? "the image is blank: it holds no session" : $"there is no session {number}: the image holds sessions 1 to {Sessions.Count}");
        }

        return IsoImage.Open(image, Sessions[number - 1].StartLba);
    }

    /// <summary>
    /// Empty, or nothing but zeros where the header goes (blocks 0–31) and at most the start of an
    /// uncommitted first session at block 32: what a first append leaves when it dies before its commit.
    /// Anything else without a descriptor at block 16 is not ours to overwrite.
    /// </summary>
    private static bool HoldsNoSession(Stream image)
    {
        long length = image.Length;
        if (length == 0)
        {
            return true;
        }

        byte[] header = new byte[Alignment * IsoFields.BlockBytes];
        image.Position = 0;
        int got = image.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got >= 17 * IsoFields.BlockBytes && header.AsSpan(16 * IsoFields.BlockBytes, 6).IndexOfAnyExcept((byte)0) >= 0)
        {
            return false;
        }

        if (header.AsSpan(0, got).IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new IsoFormatException(got < 17 * IsoFields.BlockBytes
                ? $"image is {length} bytes and not blank, too short for ISO 9660 (volume descriptors start at byte {16 * IsoFields.BlockBytes})"
                : "block 16 holds no volume descriptor but the image is not blank: not an ISO 9660 image");
        }

        uint firstDescriptor = Alignment + 16;
        return length <= (long)firstDescriptor * IsoFields.BlockBytes
            || IsPrimaryDescriptor(image, firstDescriptor)
            || ReadBlock(image, firstDescriptor).AsSpan().IndexOfAnyExcept((byte)0) < 0;
    }

    private static bool IsPrimaryDescriptor(Stream image, uint lba)
    {
        if (image.Length < (lba + 1L) * IsoFields.BlockBytes)
        {
            return false;
        }

        byte[] block = ReadBlock(image, lba);
        return block[0] == 1 && block.AsSpan(1, 5).SequenceEqual("CD001"u8) && block[6] == 1;
    }

    private static byte[] ReadBlock(Stream image, uint lba)
    {
        byte[] block = new byte[IsoFields.BlockBytes];
        image.Position = (long)lba * IsoFields.BlockBytes;
        int got = image.ReadAtLeast(block, block.Length, throwOnEndOfStream: false);
        block.AsSpan(got).Clear();
        return block;
    }
}
