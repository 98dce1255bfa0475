using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Media;

/// <summary>
/// An image file that behaves like a disc of a given type: a capacity it refuses to exceed, blank or written,
/// open for more sessions or closed, rewritable or write-once. Type, capacity and the closed flag live in the
/// sidecar <see cref="VirtualDiscRecord"/>; the image itself stays a plain ISO file any reader opens.
/// Like DVD+RW and BD-RE it is overwritable media: msinfo is "0,NWA" because the newest session is always
/// reachable through block 16 (specs/iso.md §3.2).
/// </summary>
public sealed class VirtualDisc : IMediaTarget
{
    private VirtualDisc(string imagePath, VirtualDiscRecord record)
    {
        ImagePath = imagePath;
        Record = record;
    }

    public string ImagePath { get; }

    public VirtualDiscRecord Record { get; private set; }

    public string Name => ImagePath;

    /// <summary>A new, blank disc: an empty image file and its sidecar. An existing disc is never replaced.</summary>
    public static VirtualDisc Create(string imagePath, MediumProfile profile, bool rewritable = true)
    {
        string full = Path.GetFullPath(imagePath);
        if (File.Exists(VirtualDiscRecord.PathFor(full)) || (File.Exists(full) && new FileInfo(full).Length > 0))
        {
            throw new MediumException($"{imagePath}: already a medium or a non-empty file; blank it instead of creating it again");
        }

        var record = new VirtualDiscRecord(profile.Name, profile.CapacityBlocks, rewritable, Closed: false);
        File.WriteAllBytes(full, []);
        File.WriteAllBytes(VirtualDiscRecord.PathFor(full), record.ToBytes());
        return new VirtualDisc(full, record);
    }

    public static VirtualDisc Open(string imagePath)
    {
        string full = Path.GetFullPath(imagePath);
        string sidecar = VirtualDiscRecord.PathFor(full);
        if (!File.Exists(sidecar))
        {
            throw new MediumException($"{imagePath}: not a virtual disc (no {Path.GetFileName(sidecar)} beside it); create one with 'media blank --type cd650|cd700|dvd|bd25 {imagePath}'");
        }

        if (!File.Exists(full))
        {
            throw new MediumException($"{imagePath}: the image file of this virtual disc is missing (its {Path.GetFileName(sidecar)} is there)");
        }

        return new VirtualDisc(full, VirtualDiscRecord.Parse(File.ReadAllText(sidecar), sidecar));
    }

    public MediumStatus Status()
    {
        List<MediumSession> sessions;
        long used;
        using (var stream = new FileStream(ImagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            sessions = ImageToc.Read(stream);
            used = ImageToc.VolumeEnd(stream);
        }

        MediumState state = sessions.Count == 0 ? MediumState.Blank : Record.Closed ? MediumState.Closed : MediumState.Appendable;
        long next = state == MediumState.Blank ? 0 : ImageToc.RoundUp(used);
        long free = state == MediumState.Closed ? 0 : Math.Max(0, Record.CapacityBlocks - next);
        string type = MediumProfile.Find(Record.Type)?.Description ?? Record.Type;
        return new MediumStatus(ImagePath, "virtual disc", type, state, Record.Rewritable, Record.CapacityBlocks, used, free, sessions.Count == 0 ? "" : sessions[^1].VolumeId, sessions);
    }

    public void Blank(BlankMode mode, CancellationToken cancellationToken = default)
    {
        if (!Record.Rewritable && Status().State != MediumState.Blank)
        {
            throw new MediumException($"{Name}: a write-once {Record.Type} cannot be blanked");
        }

        using (var stream = new FileStream(ImagePath, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            if (mode == BlankMode.Full)
            {
                // As blank=all on a CD-RW: every block that was written is overwritten before the disc is empty.
                byte[] zeros = new byte[1 << 20];
                long left = stream.Length;
                while (left > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = (int)Math.Min(zeros.Length, left);
                    stream.Write(zeros, 0, n);
                    left -= n;
                }

                stream.Flush(flushToDisk: true);
            }

            stream.SetLength(0);
            stream.Flush(flushToDisk: true);
        }

        SaveRecord(Record with { Closed = false });
    }

    public MultiSessionInfo? MultiSessionInfo()
    {
        MediumStatus status = Status();
        return status.State switch
        {
            MediumState.Blank => null,
            MediumState.Closed => throw new MediumException($"{Name}: the medium is closed; no further session can be written"),
            _ => new MultiSessionInfo(0, ImageToc.RoundUp(status.UsedBlocks)),
        };
    }

    public WrittenSession WriteSession(SourceNode root, IsoOptions options, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default)
    {
        MediumStatus status = Status();
        if (status.State != MediumState.Blank)
        {
            throw new MediumException($"{Name}: holds {status.Sessions.Count} session(s) ({status.VolumeId}); blank it first to write a new first session");
        }

        ManifestedImageResult result;
        using (var output = new FileStream(ImagePath, FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16))
        {
            try
            {
                result = ManifestedImage.Write(root, options, output, openFile, cancellationToken, plan => CheckFits(plan.VolumeBlocks, status.FreeBlocks));
                output.Flush(flushToDisk: true);
            }
            catch
            {
                // The disc was blank before; a failed first session leaves it blank, not half written.
                output.SetLength(0);
                throw;
            }
        }

        return new WrittenSession(ImagePath, 0, result);
    }

    /// <summary>Marks the disc closed, as writing the last session without -multi does: no later session fits.</summary>
    public void Close() => SaveRecord(Record with { Closed = true });

    internal void CheckFits(long blocks, long freeBlocks)
    {
        if (blocks > freeBlocks)
        {
            throw new MediumException($"{Name}: medium full: the session needs {blocks} blocks ({blocks * 2048L} bytes), {freeBlocks} are free of {Record.CapacityBlocks} ({Record.Type})");
        }
    }

    private void SaveRecord(VirtualDiscRecord record)
    {
        string sidecar = VirtualDiscRecord.PathFor(ImagePath);
        File.WriteAllBytes(sidecar + ".new", record.ToBytes());
        File.Move(sidecar + ".new", sidecar, overwrite: true);
        Record = record;
    }
}
