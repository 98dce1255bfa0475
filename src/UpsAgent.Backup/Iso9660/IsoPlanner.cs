using System.Text;
using UpsAgent.Backup.Iso9660.Joliet;
using UpsAgent.Backup.Iso9660.RockRidge;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Pure: a source snapshot and options in, an <see cref="IsoPlan"/> out. Deep directories are kept deep
/// (ISO 9660:1999 readers, Linux, libarchive and libisofs all read them) rather than relocated.
/// </summary>
public static class IsoPlanner
{
    /// <summary>ECMA-119 §9.1.4 holds a 32-bit length; bigger files are split into sections of 4 GiB − 2 KiB.</summary>
    public const long SectionLimitBytes = 0xFFFFF800L;

    private const int RecordHeaderBytes = 33;

    public static IsoPlan Plan(SourceNode root, IsoOptions options) => Plan(root, options, IsoSessionPlacement.SingleSession);

    public static IsoPlan Plan(SourceNode root, IsoOptions options, IsoSessionPlacement placement)
    {
        if (root.Kind != SourceKind.Directory)
        {
            throw new ArgumentException($"the root of an image must be a directory, not {root.Kind}", nameof(root));
        }

        if (placement.StartLba % 16 != 0)
        {
            throw new ArgumentException($"a session starts on a 16-block boundary, not at block {placement.StartLba}", nameof(placement));
        }

        var plan = new IsoPlan { Options = options, SessionStartLba = placement.StartLba };
        var files = new Dictionary<SourceNode, PlannedFile>(ReferenceEqualityComparer.Instance);
        PlanTree(plan, root, plan.PrimaryDirectories, files, joliet: false, placement.ReusableExtents);
        PlanTree(plan, root, plan.JolietDirectories, files, joliet: true, placement.ReusableExtents);
        plan.PrimaryPathTableBytes = PathTableBytes(plan.PrimaryDirectories);
        plan.JolietPathTableBytes = PathTableBytes(plan.JolietDirectories);
        Allocate(plan);
        return plan;
    }

    private static void PlanTree(
        IsoPlan plan, SourceNode root, List<PlannedDirectory> directories, Dictionary<SourceNode, PlannedFile> files, bool joliet,
        IReadOnlyDictionary<SourceNode, uint> reusable)
    {
        // Breadth first with children in identifier order gives the path-table order of §6.9.1:
        // by level, then parent number, then identifier.
        directories.Add(new PlannedDirectory(root, null, [0]));
        for (int d = 0; d < directories.Count; d++)
        {
            PlannedDirectory dir = directories[d];
            dir.Number = d + 1;
            SourceNode[] children = Listed(dir.Node.Children, joliet);
            string[] ids = joliet ? JolietNames.Assign(children) : IsoNames.Assign(children);
            int[] order = Enumerable.Range(0, children.Length).ToArray();
            Comparison<string> compare = joliet ? JolietNames.Compare : IsoNames.Compare;
            Array.Sort(order, (a, b) => compare(ids[a], ids[b]));

            SourceNode parentNode = dir.Parent?.Node ?? dir.Node;
            AddRecord(dir, [0], dir.Node, dirTarget: dir, joliet, isRootDot: d == 0, name: null);
            AddRecord(dir, [1], parentNode, dirTarget: dir.Parent ?? dir, joliet, isRootDot: false, name: null);
            foreach (int i in order)
            {
                SourceNode child = children[i];
                byte[] id = joliet ? Encoding.BigEndianUnicode.GetBytes(ids[i]) : Encoding.ASCII.GetBytes(ids[i]);
                if (child.Kind == SourceKind.Directory)
                {
                    var sub = new PlannedDirectory(child, dir, id);
                    directories.Add(sub);
                    AddRecord(dir, id, child, dirTarget: sub, joliet, isRootDot: false, name: child.Name);
                    continue;
                }

                PlannedFile? file = null;
                if (child.Kind == SourceKind.File)
                {
                    if (!files.TryGetValue(child, out file))
                    {
                        file = new PlannedFile(child) { ReusableLba = reusable.TryGetValue(child, out uint old) ? old : null };
                        files.Add(child, file);
                        plan.Files.Add(file);
                    }
                }

                long size = child.Kind == SourceKind.File ? child.SizeBytes : 0;
                long offset = 0;
                do
                {
                    long section = Math.Min(size - offset, SectionLimitBytes);
                    bool more = offset + section < size;
                    PlannedRecord record = AddRecord(dir, id, child, dirTarget: null, joliet, isRootDot: false, name: child.Name, file, offset, (uint)section, more);
                    if (file is not null && record.SystemUse?.Continuation is not null)
                    {
                        file.NeedsContinuation = true;
                    }

                    offset += section;
                }
                while (offset < size);
            }

            dir.SizeBytes = PackedBytes(dir.Records);
        }
    }

    /// <summary>The children a tree lists (Joliet has no links or devices), by name in ordinal order.</summary>
    private static SourceNode[] Listed(List<SourceNode> all, bool joliet)
    {
        int count = 0;
        foreach (SourceNode c in all)
        {
            count += !joliet || c.Kind is SourceKind.File or SourceKind.Directory ? 1 : 0;
        }

        var children = new SourceNode[count];
        int i = 0;
        foreach (SourceNode c in all)
        {
            if (!joliet || c.Kind is SourceKind.File or SourceKind.Directory)
            {
                children[i++] = c;
            }
        }

        Array.Sort(children, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return children;
    }

    private static PlannedRecord AddRecord(
        PlannedDirectory dir, byte[] id, SourceNode node, PlannedDirectory? dirTarget, bool joliet, bool isRootDot, string? name,
        PlannedFile? file = null, long sectionOffset = 0, uint sectionBytes = 0, bool moreSections = false)
    {
        int pad = id.Length % 2 == 0 ? 1 : 0;
        int fixedBytes = RecordHeaderBytes + id.Length + pad;
        SystemUseArea? su = null;
        if (!joliet)
        {
            // §9.1.13: the system-use area fills the record up to 255 bytes, and LEN_DR stays even.
            int capacity = 254 - fixedBytes;
            su = SystemUseArea.Layout(RockRidgeEntries(node, dirTarget, isRootDot, name), capacity);
        }

        int length = fixedBytes + (su?.InlineBytes ?? 0);
        length += length % 2;
        byte flags = (byte)((dirTarget is not null ? 0x02 : 0) | (moreSections ? 0x80 : 0));
        var record = new PlannedRecord
        {
            Identifier = id,
            FileFlags = flags,
            Directory = dirTarget,
            File = file,
            SectionOffsetBytes = sectionOffset,
            SectionBytes = sectionBytes,
            RecordingTime = node.ModifyTime,
            SystemUse = su,
            LengthBytes = length,
        };
        dir.Records.Add(record);
        return record;
    }

    private static List<byte[]> RockRidgeEntries(SourceNode node, PlannedDirectory? dirTarget, bool isRootDot, string? name)
    {
        var entries = new List<byte[]>(4);
        if (isRootDot)
        {
            entries.Add(SystemUseEntries.Sp());
        }

        uint links = dirTarget is not null ? 2u + SubdirectoryCount(dirTarget.Node) : 1u;
        entries.Add(SystemUseEntries.Px(node.PosixMode, links, node.Uid, node.Gid));
        entries.Add(SystemUseEntries.Tf(node.ModifyTime, node.AccessTime, node.ChangeTime));
        if (node.Kind is SourceKind.CharacterDevice or SourceKind.BlockDevice)
        {
            entries.Add(SystemUseEntries.Pn(node.DeviceMajor, node.DeviceMinor));
        }

        if (node.Kind == SourceKind.Symlink && name is not null)
        {
            entries.AddRange(SystemUseEntries.Sl(node.SymlinkTarget ?? ""));
        }

        if (name is not null)
        {
            entries.AddRange(SystemUseEntries.Nm(name));
        }

        if (isRootDot)
        {
            entries.Add(SystemUseEntries.Er());
        }

        return entries;
    }

    private static uint SubdirectoryCount(SourceNode directory)
    {
        uint n = 0;
        foreach (SourceNode c in directory.Children)
        {
            n += c.Kind == SourceKind.Directory ? 1u : 0u;
        }

        return n;
    }

    /// <summary>§6.8.1.1: a record never crosses a block; the rest of a block stays zero.</summary>
    private static int PackedBytes(List<PlannedRecord> records)
    {
        int blocks = 1;
        int used = 0;
        foreach (PlannedRecord r in records)
        {
            if (used + r.LengthBytes > IsoFields.BlockBytes)
            {
                blocks++;
                used = 0;
            }

            used += r.LengthBytes;
        }

        return blocks * IsoFields.BlockBytes;
    }

    private static int PathTableBytes(List<PlannedDirectory> directories) =>
        directories.Sum(d => 8 + d.Identifier.Length + (d.Identifier.Length % 2));

    private static uint BlocksFor(long bytes) => (uint)((bytes + IsoFields.BlockBytes - 1) / IsoFields.BlockBytes);

    private static void Allocate(IsoPlan plan)
    {
        uint lba = plan.TerminatorLba + 1;
        uint primaryPathBlocks = BlocksFor(plan.PrimaryPathTableBytes);
        uint jolietPathBlocks = BlocksFor(plan.JolietPathTableBytes);
        plan.PrimaryLPathLba = lba;
        lba += primaryPathBlocks;
        plan.PrimaryMPathLba = lba;
        lba += primaryPathBlocks;
        plan.JolietLPathLba = lba;
        lba += jolietPathBlocks;
        plan.JolietMPathLba = lba;
        lba += jolietPathBlocks;

        foreach (PlannedDirectory d in plan.PrimaryDirectories)
        {
            d.Lba = lba;
            lba += (uint)d.Blocks;
        }

        // Continuation areas are packed, each wholly inside one block, right after the primary directories.
        plan.ContinuationLba = lba;
        int offset = 0;
        uint block = lba;
        foreach (PlannedDirectory d in plan.PrimaryDirectories)
        {
            foreach (PlannedRecord r in d.Records)
            {
                for (ContinuationArea? area = r.SystemUse?.Continuation; area is not null; area = area.Next)
                {
                    if (offset + area.LengthBytes > IsoFields.BlockBytes)
                    {
                        block++;
                        offset = 0;
                    }

                    area.Lba = block;
                    area.OffsetBytes = offset;
                    offset += area.LengthBytes;
                    plan.ContinuationAreas.Add(area);
                }
            }
        }

        plan.ContinuationBlocks = plan.ContinuationAreas.Count == 0 ? 0 : block - lba + 1;
        lba += plan.ContinuationBlocks;

        foreach (PlannedDirectory d in plan.JolietDirectories)
        {
            d.Lba = lba;
            lba += (uint)d.Blocks;
        }

        plan.DataLba = lba;
        plan.EmptyLba = lba;
        foreach (PlannedFile f in plan.Files)
        {
            if (f.ReusableLba is uint old && f.SizeBytes > 0 && !f.NeedsContinuation)
            {
                f.Lba = old;
                f.Reused = true;
                continue;
            }

            f.Lba = lba;
            long next = lba + f.Blocks;
            if (next > uint.MaxValue)
            {
                throw new ArgumentException($"the tree needs more than {uint.MaxValue} blocks of 2048 bytes (at {f.Node.Name})");
            }

            lba = (uint)next;
        }

        // Empty files point at the first data block, so the volume always has one there.
        plan.EndLba = Math.Max(lba, plan.DataLba + 1);
    }
}
