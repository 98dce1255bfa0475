using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using UpsAgent.Backup.Iso9660.RockRidge;
using UpsAgent.Backup.Posix;
using UpsAgent.Posix;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Carries out an <see cref="IsoPlan"/>: writes every block in LBA order to a forward-only stream, reading
/// file data through a fixed buffer, so memory follows the plan (the number of files), never the data size.
/// </summary>
public static class IsoWriter
{
    private const int CopyBufferBytes = 1 << 20;

    /// <summary>Smaller files go through the buffer: for a few KiB a splice costs more than a read and a buffered write.</summary>
    private const long KernelCopyMinBytes = 64 << 10;

    /// <summary>One copy_file_range call at most: progress and cancellation are seen between calls.</summary>
    private const long KernelCopyChunkBytes = 16 << 20;

    public static void Write(IsoPlan plan, Stream output, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default) =>
        Write(plan, output, openFile, new IsoWriteOptions(), cancellationToken);

    /// <summary>
    /// Writes the session's blocks from <see cref="IsoPlan.SessionStartLba"/> to <see cref="IsoPlan.EndLba"/>;
    /// the output must be positioned at the session start. Reused files are not written.
    /// </summary>
    public static void Write(IsoPlan plan, Stream output, Func<SourceNode, Stream> openFile, IsoWriteOptions options, CancellationToken cancellationToken = default)
    {
        var cursor = new BlockCursor(output, plan.SessionStartLba, options.SparseOutput);
        cursor.Zeros(plan.PrimaryDescriptorLba);
        cursor.Write(plan.PrimaryDescriptorLba, DescriptorSet(plan, plan.VolumeBlocks));
        cursor.Write(plan.PrimaryLPathLba, PathTable(plan.PrimaryDirectories, plan.PrimaryPathTableBytes, bigEndian: false));
        cursor.Write(plan.PrimaryMPathLba, PathTable(plan.PrimaryDirectories, plan.PrimaryPathTableBytes, bigEndian: true));
        cursor.Write(plan.JolietLPathLba, PathTable(plan.JolietDirectories, plan.JolietPathTableBytes, bigEndian: false));
        cursor.Write(plan.JolietMPathLba, PathTable(plan.JolietDirectories, plan.JolietPathTableBytes, bigEndian: true));
        foreach (PlannedDirectory d in plan.PrimaryDirectories)
        {
            cursor.Write(d.Lba, Directory(plan, d));
        }

        if (plan.ContinuationBlocks > 0)
        {
            cursor.Write(plan.ContinuationLba, Continuations(plan));
        }

        foreach (PlannedDirectory d in plan.JolietDirectories)
        {
            cursor.Write(d.Lba, Directory(plan, d));
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        var copied = new CopyProgress(options.OnDataBytes);
        try
        {
            foreach (PlannedFile f in plan.Files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (f.SizeBytes == 0 || f.Reused)
                {
                    continue;
                }

                cursor.Seek(f.Lba);
                using Stream source = openFile(f.Node);
                SafeFileHandle? handle = HandleOf(source);

                // Holes are worth looking for only when the file system holds fewer bytes than the size
                // (st_blocks): asking costs a walk of the file's page cache on tmpfs.
                bool skipHoles = options.SparseOutput && handle is not null && f.SizeBytes >= KernelCopyMinBytes && f.Node.AllocatedBytes < f.SizeBytes;
                long done = 0;
                if (options.KernelCopy && handle is not null && f.SizeBytes >= KernelCopyMinBytes && cursor.Handle is { } target)
                {
                    done = CopyInKernel(f, handle, target, cursor, skipHoles, copied, cancellationToken);
                    if (done < f.SizeBytes)
                    {
                        // The kernel could not (or no longer) copy this file: read and write the rest, which
                        // also tells a source that shrank from one whose file system only lacks the method.
                        source.Position = done;
                    }
                }

                CopyThroughBuffer(f, source, skipHoles ? handle : null, done, buffer, cursor, copied, cancellationToken);
                cursor.PadToBlock();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        cursor.Zeros(plan.EndLba);
        cursor.Finish();
        output.Flush();
    }

    private static SafeFileHandle? HandleOf(Stream source) => source switch
    {
        SourceFileStream s => s.Handle,
        FileStream { CanSeek: true } f => f.SafeFileHandle,
        _ => null,
    };

    /// <summary>
    /// copy_file_range from the source's descriptor to the image's, at explicit offsets. With
    /// <paramref name="skipHoles"/> (sparse output) the source's holes are skipped (SEEK_DATA/SEEK_HOLE) and stay holes. Returns how far it got; short of the
    /// file's size when the kernel cannot copy between these files or the source ends early.
    /// </summary>
    private static long CopyInKernel(
        PlannedFile f, SafeFileHandle source, SafeFileHandle target, BlockCursor cursor, bool skipHoles, CopyProgress copied, CancellationToken cancellationToken)
    {
        cursor.BeginDirect();
        long done = 0;
        while (done < f.SizeBytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long end = f.SizeBytes;
            if (skipHoles)
            {
                long data = Math.Min(SourceHoles.NextData(source, done, f.SizeBytes), f.SizeBytes);
                if (data > done)
                {
                    cursor.SkipZeros(data - done);
                    copied.Add(data - done);
                    done = data;
                    continue;
                }

                end = Math.Clamp(SourceHoles.NextHole(source, done, f.SizeBytes), done + 1, f.SizeBytes);
            }

            long n;
            try
            {
                n = KernelCopy.Copy(source, done, target, cursor.FileOffset, Math.Min(end - done, KernelCopyChunkBytes));
            }
            catch (IOException e)
            {
                throw new IOException($"copying {f.Node.SourcePath ?? f.Node.Name} at byte {done} into the image: {e.Message}", e);
            }

            if (n <= 0)
            {
                break;
            }

            cursor.AdvanceDirect(n);
            done += n;
            copied.Add(n);
        }

        return done;
    }

    /// <summary>Reads and writes through the buffer from byte <paramref name="done"/>; holes are looked for when <paramref name="holes"/> is given.</summary>
    private static void CopyThroughBuffer(
        PlannedFile f, Stream source, SafeFileHandle? holes, long done, byte[] buffer, BlockCursor cursor, CopyProgress copied, CancellationToken cancellationToken)
    {
        long left = f.SizeBytes - done;
        while (left > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long at = f.SizeBytes - left;
            if (holes is not null && at % IsoFields.BlockBytes == 0)
            {
                // A hole in the source stays a hole in the image: skip whole blocks of it.
                long hole = (SourceHoles.NextData(holes, at, f.SizeBytes) - at) / IsoFields.BlockBytes * IsoFields.BlockBytes;
                if (hole > 0)
                {
                    hole = Math.Min(hole, left);
                    source.Position = at + hole;
                    cursor.SkipZeros(hole);
                    left -= hole;
                    copied.Add(hole);
                    continue;
                }
            }

            int n;
            try
            {
                n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            }
            catch (IOException e)
            {
                throw new IOException($"reading {f.Node.SourcePath ?? f.Node.Name} at byte {at}: {e.Message}", e);
            }

            if (n == 0)
            {
                throw new IOException($"{f.Node.SourcePath ?? f.Node.Name} shrank while it was written: {at} of {f.SizeBytes} bytes");
            }

            cursor.WriteData(buffer.AsSpan(0, n));
            left -= n;
            copied.Add(n);
        }
    }

    /// <summary>
    /// The volume descriptor set of a session (PVD, Joliet SVD, terminator: three blocks) stating the given
    /// volume space size. The session writes its own size; the copy at block 16 of a grown image states the
    /// absolute end, or xorriso and libarchive reject the newest tree (specs/iso.md §3.7).
    /// </summary>
    public static byte[] DescriptorSet(IsoPlan plan, uint volumeBlocks)
    {
        byte[] set = new byte[3 * IsoFields.BlockBytes];
        Descriptor(plan, joliet: false, volumeBlocks).CopyTo(set, 0);
        Descriptor(plan, joliet: true, volumeBlocks).CopyTo(set, IsoFields.BlockBytes);
        Terminator().CopyTo(set, 2 * IsoFields.BlockBytes);
        return set;
    }

    /// <summary>ECMA-119 §8.4 (PVD) and the Joliet SVD of §8.5 with escape sequence "%/E" (UCS-2 level 3).</summary>
    private static byte[] Descriptor(IsoPlan plan, bool joliet, uint volumeBlocks)
    {
        byte[] b = new byte[IsoFields.BlockBytes];
        Span<byte> s = b;
        IsoOptions o = plan.Options;
        List<PlannedDirectory> dirs = joliet ? plan.JolietDirectories : plan.PrimaryDirectories;
        s[0] = (byte)(joliet ? 2 : 1);
        "CD001"u8.CopyTo(s[1..]);
        s[6] = 1;
        WriteId(s.Slice(8, 32), o.SystemId, joliet);
        WriteId(s.Slice(40, 32), o.VolumeId, joliet);
        IsoFields.Write733(s[80..], volumeBlocks);
        if (joliet)
        {
            "%/E"u8.CopyTo(s[88..]);
        }

        IsoFields.Write723(s[120..], 1);
        IsoFields.Write723(s[124..], 1);
        IsoFields.Write723(s[128..], IsoFields.BlockBytes);
        IsoFields.Write733(s[132..], (uint)(joliet ? plan.JolietPathTableBytes : plan.PrimaryPathTableBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(s[140..], joliet ? plan.JolietLPathLba : plan.PrimaryLPathLba);
        BinaryPrimitives.WriteUInt32BigEndian(s[148..], joliet ? plan.JolietMPathLba : plan.PrimaryMPathLba);
        PlannedDirectory root = dirs[0];
        WriteRecordHeader(s.Slice(156, 34), 34, root.Lba, (uint)root.SizeBytes, root.Node.ModifyTime, 0x02, [0]);
        WriteId(s.Slice(190, 128), "", joliet);
        WriteId(s.Slice(318, 128), "", joliet);
        WriteId(s.Slice(446, 128), "", joliet);
        WriteId(s.Slice(574, 128), o.ApplicationId, joliet);
        WriteId(s.Slice(702, 37), "", joliet);
        WriteId(s.Slice(739, 37), "", joliet);
        WriteId(s.Slice(776, 37), "", joliet);
        IsoFields.WriteLongDate(s.Slice(813, 17), o.RecordingTime);
        IsoFields.WriteLongDate(s.Slice(830, 17), o.RecordingTime);
        IsoFields.WriteLongDate(s.Slice(847, 17), null);
        IsoFields.WriteLongDate(s.Slice(864, 17), null);
        s[881] = 1;
        return b;
    }

    private static void WriteId(Span<byte> field, string text, bool joliet)
    {
        if (joliet)
        {
            IsoFields.WriteUcs2Text(field, text);
        }
        else
        {
            IsoFields.WriteText(field, text);
        }
    }

    private static byte[] Terminator()
    {
        byte[] b = new byte[IsoFields.BlockBytes];
        b[0] = 255;
        "CD001"u8.CopyTo(b.AsSpan(1));
        b[6] = 1;
        return b;
    }

    /// <summary>§9.4 path table records, packed (they may cross blocks), padded to whole blocks.</summary>
    private static byte[] PathTable(List<PlannedDirectory> dirs, int bytes, bool bigEndian)
    {
        byte[] b = new byte[(bytes + IsoFields.BlockBytes - 1) / IsoFields.BlockBytes * IsoFields.BlockBytes];
        int at = 0;
        foreach (PlannedDirectory d in dirs)
        {
            Span<byte> r = b.AsSpan(at);
            r[0] = (byte)d.Identifier.Length;
            ushort parent = (ushort)(d.Parent?.Number ?? 1);
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(r[2..], d.Lba);
                BinaryPrimitives.WriteUInt16BigEndian(r[6..], parent);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(r[2..], d.Lba);
                BinaryPrimitives.WriteUInt16LittleEndian(r[6..], parent);
            }

            d.Identifier.CopyTo(r[8..]);
            at += 8 + d.Identifier.Length + (d.Identifier.Length % 2);
        }

        return b;
    }

    private static byte[] Directory(IsoPlan plan, PlannedDirectory d)
    {
        byte[] b = new byte[d.SizeBytes];
        int at = 0;
        foreach (PlannedRecord r in d.Records)
        {
            if ((at % IsoFields.BlockBytes) + r.LengthBytes > IsoFields.BlockBytes)
            {
                at = ((at / IsoFields.BlockBytes) + 1) * IsoFields.BlockBytes;
            }

            Span<byte> rec = b.AsSpan(at, r.LengthBytes);
            WriteRecordHeader(rec, r.LengthBytes, plan.ExtentOf(r), plan.DataLengthOf(r), r.RecordingTime, r.FileFlags, r.Identifier);
            int su = 33 + r.Identifier.Length + (r.Identifier.Length % 2 == 0 ? 1 : 0);
            if (r.SystemUse is { } area)
            {
                foreach (byte[] e in area.Inline)
                {
                    e.CopyTo(rec[su..]);
                    su += e.Length;
                }

                if (area.Continuation is { } ce)
                {
                    SystemUseEntries.WriteCe(rec[su..], ce.Lba, (uint)ce.OffsetBytes, (uint)ce.LengthBytes);
                }
            }

            at += r.LengthBytes;
        }

        return b;
    }

    private static void WriteRecordHeader(Span<byte> rec, int length, uint extent, uint dataLength, long time, byte flags, byte[] id)
    {
        rec[0] = (byte)length;
        rec[1] = 0;
        IsoFields.Write733(rec[2..], extent);
        IsoFields.Write733(rec[10..], dataLength);
        IsoFields.WriteShortDate(rec[18..], time);
        rec[25] = flags;
        IsoFields.Write723(rec[28..], 1);
        rec[32] = (byte)id.Length;
        id.CopyTo(rec[33..]);
    }

    private static byte[] Continuations(IsoPlan plan)
    {
        byte[] b = new byte[plan.ContinuationBlocks * IsoFields.BlockBytes];
        foreach (ContinuationArea area in plan.ContinuationAreas)
        {
            int at = (int)((area.Lba - plan.ContinuationLba) * IsoFields.BlockBytes) + area.OffsetBytes;
            foreach (byte[] e in area.Entries)
            {
                e.CopyTo(b, at);
                at += e.Length;
            }

            if (area.Next is { } next)
            {
                SystemUseEntries.WriteCe(b.AsSpan(at), next.Lba, (uint)next.OffsetBytes, (uint)next.LengthBytes);
            }
        }

        return b;
    }

    /// <summary>
    /// Tracks the output position in bytes and refuses to go backwards: the plan's order is the disc's order.
    /// In sparse mode zero runs are skipped by seeking, and <see cref="Finish"/> sets the final length.
    /// </summary>
    private sealed class BlockCursor(Stream output, uint startLba, bool sparse)
    {
        private static readonly byte[] ZeroBlock = new byte[IsoFields.BlockBytes];
        private readonly long _origin = output.CanSeek ? output.Position - ((long)startLba * IsoFields.BlockBytes) : 0;
        private long _position = (long)startLba * IsoFields.BlockBytes;

        /// <summary>The image's descriptor when it is a seekable file the kernel can copy into; null otherwise.</summary>
        public SafeFileHandle? Handle { get; } = output is FileStream { CanSeek: true } file ? file.SafeFileHandle : null;

        /// <summary>Where the next byte goes in the output file.</summary>
        public long FileOffset => _origin + _position;

        /// <summary>Hands buffered bytes to the file before data is written past the stream, at <see cref="FileOffset"/>.</summary>
        public void BeginDirect() => output.Flush();

        /// <summary>The kernel wrote <paramref name="bytes"/> at <see cref="FileOffset"/>; the stream continues after them.</summary>
        public void AdvanceDirect(long bytes)
        {
            _position += bytes;
            output.Position = _origin + _position;
        }

        public void Zeros(uint untilLba)
        {
            long target = (long)untilLba * IsoFields.BlockBytes;
            if (sparse && target > _position)
            {
                _position = target;
                output.Position = _origin + _position;
                return;
            }

            while (_position < target)
            {
                int n = (int)Math.Min(ZeroBlock.Length, target - _position);
                output.Write(ZeroBlock, 0, n);
                _position += n;
            }
        }

        public void Seek(uint lba)
        {
            long target = (long)lba * IsoFields.BlockBytes;
            if (target < _position)
            {
                throw new InvalidOperationException($"plan goes backwards: block {lba} after byte {_position}");
            }

            Zeros(lba);
        }

        public void Write(uint lba, byte[] blocks)
        {
            Seek(lba);
            WriteBytes(blocks);
        }

        /// <summary>File data: whole zero blocks become holes in sparse mode (a sparse source stays sparse).</summary>
        public void WriteData(ReadOnlySpan<byte> bytes)
        {
            if (!sparse || _position % IsoFields.BlockBytes != 0)
            {
                WriteBytes(bytes);
                return;
            }

            while (bytes.Length >= IsoFields.BlockBytes)
            {
                int run = bytes.Length / IsoFields.BlockBytes * IsoFields.BlockBytes;
                int firstData = bytes[..run].IndexOfAnyExcept((byte)0);
                if (firstData < 0)
                {
                    _position += run;
                    output.Position = _origin + _position;
                    bytes = bytes[run..];
                    continue;
                }

                int zeroBlocks = firstData / IsoFields.BlockBytes * IsoFields.BlockBytes;
                if (zeroBlocks > 0)
                {
                    _position += zeroBlocks;
                    output.Position = _origin + _position;
                    bytes = bytes[zeroBlocks..];
                }

                // Write every block up to the next all-zero one in one call: block-sized writes cost a
                // buffer copy and a system call per 64 KiB, halving throughput on incompressible data.
                int data = IsoFields.BlockBytes;
                while (data + IsoFields.BlockBytes <= bytes.Length && bytes.Slice(data, IsoFields.BlockBytes).IndexOfAnyExcept((byte)0) >= 0)
                {
                    data += IsoFields.BlockBytes;
                }

                WriteBytes(bytes[..data]);
                bytes = bytes[data..];
            }

            WriteBytes(bytes);
        }

        /// <summary>Sparse mode only: the next bytes are zeros on the medium already.</summary>
        public void SkipZeros(long bytes)
        {
            _position += bytes;
            output.Position = _origin + _position;
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            _position += bytes.Length;
        }

        public void PadToBlock()
        {
            long rest = _position % IsoFields.BlockBytes;
            if (rest != 0)
            {
                WriteBytes(ZeroBlock.AsSpan(0, (int)(IsoFields.BlockBytes - rest)));
            }
        }

        /// <summary>
        /// Skipped zeros at the end leave the file short: extend it to the session end. The length is set
        /// whatever the stream believes it is: kernel copies grew the file behind its back.
        /// </summary>
        public void Finish()
        {
            if (sparse)
            {
                output.Flush();
                output.SetLength(_origin + _position);
            }
        }
    }

    /// <summary>File-data bytes handled so far (written or skipped as holes), reported after every step.</summary>
    private sealed class CopyProgress(Action<long>? report)
    {
        private long _bytes;

        public void Add(long bytes)
        {
            _bytes += bytes;
            report?.Invoke(_bytes);
        }
    }
}
