using System.Diagnostics;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

// RAID1 rebuild between image files, when asked for (RebuildKernelCopy): each window goes from a source image to the replacement inside
// the kernel (copy_file_range), one copy of every byte instead of a read into our buffer and a write out
// of it. It runs under the lock like the reads of the buffered path, so a foreground write never meets
// a window half copied, and the window has landed when the call returns. Any failure of the copy sends
// the window through the buffered path, whose read and write tell which member failed.
public sealed partial class RaidArray
{
    private long _kernelCopiedBytes;

    /// <summary>
    /// Whether a RAID1 rebuild copies between image files inside the kernel (copy_file_range) when it
    /// can; otherwise, and always for block devices or between file systems the kernel cannot copy
    /// between, it reads and writes through memory. Off by default: on a file system that clones
    /// (XFS, btrfs) the kernel "copies" by sharing the source's blocks, so the rebuilt mirror would
    /// hold no second copy of anything, and on tmpfs and ext4 the kernel's page-by-page copy is slower
    /// than our read and background write (0.55× against 0.78× of one image read on tmpfs).
    /// Takes effect at the next <see cref="Rebuild"/>.
    /// </summary>
    public bool RebuildKernelCopy { get; set; }

    // Under the lock: copies member bytes [position, +length) onto the recovering member from the first
    // in-sync copy. True when the window landed. False sends it through the buffered path: a source
    // that is not an image file, or a copy that failed partway (on either side); kernelCopy turns false
    // for the rest of the pass when the kernel cannot copy between these files at all.
    private bool CopyMirrorPiece(RebuildPass pass, long position, int length, ref bool kernelCopy)
    {
        ThrowIfFailed();
        RaidMember? source = null;
        for (int d = 0; d < Geometry.RaidDisks && source is null; d++)
        {
            if (d != pass.Slot && Readable(d, position + length))
            {
                source = _slots[d];
            }
        }

        if (source?.Device is not ImageFileDevice from || pass.Member.Device is not ImageFileDevice to)
        {
            return false;
        }

        long t = Stopwatch.GetTimestamp();
        try
        {
            if (!from.TryCopyTo(source.DataOffsetBytes + position, to, pass.Member.DataOffsetBytes + position, length))
            {
                kernelCopy = false;
                _log.Add($"{to.Name}: no kernel copy from {from.Name}; the rebuild reads and writes through memory");
                return false;
            }
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            _readTicks += Stopwatch.GetTimestamp() - t;
        }

        _kernelCopiedBytes += length;
        return true;
    }
}
