using UpsAgent.Raid.Geometry;

namespace UpsAgent.Raid.Engine;

// RAID 1/10 I/O: reads come from the first readable copy, writes go to every working copy.
public sealed partial class RaidArray
{
    private const int MirrorPieceBytes = 1 << 20;

    private int MirrorPiece(long pos, int remaining) => Geometry.Level == RaidLevel.Raid1
        ? Math.Min(remaining, MirrorPieceBytes)
        : Math.Min(remaining, Geometry.ChunkBytes - (int)(pos % Geometry.ChunkBytes));

    private void MirrorRead(long offset, Span<byte> destination)
    {
        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        int done = 0;
        while (done < destination.Length)
        {
            long pos = offset + done;
            int n = MirrorPiece(pos, destination.Length - done);
            int count = Geometry.MapCopies(pos / 512, copies);
            bool read = false;
            while (!read)
            {
                ThrowIfFailed();
                int readable = 0;
                for (int i = 0; i < count && !read; i++)
                {
                    long memberByte = (copies[i].Sector * 512) + (pos % 512);
                    if (Readable(copies[i].Disk, memberByte + n))
                    {
                        readable++;
                        read = MemberRead(copies[i].Disk, memberByte, destination.Slice(done, n));
                    }
                }

                if (readable == 0)
                {
                    throw new ArrayFailedException($"array {_array.SetUuid}: no working copy of bytes {pos}..{pos + n}");
                }
            }

            done += n;
        }
    }

    private void MirrorWrite(long offset, ReadOnlySpan<byte> source)
    {
        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        int done = 0;
        while (done < source.Length)
        {
            long pos = offset + done;
            int n = MirrorPiece(pos, source.Length - done);
            int count = Geometry.MapCopies(pos / 512, copies);
            for (int i = 0; i < count; i++)
            {
                MemberWrite(copies[i].Disk, (copies[i].Sector * 512) + (pos % 512), source.Slice(done, n));
            }

            ThrowIfFailed();
            bool written = false;
            for (int i = 0; i < count; i++)
            {
                written |= Writable(copies[i].Disk);
            }

            if (!written)
            {
                throw new ArrayFailedException($"array {_array.SetUuid}: no working copy left for bytes {pos}..{pos + n}");
            }

            done += n;
        }
    }
}
