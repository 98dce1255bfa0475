using UpsAgent.Backup.Iso9660.RockRidge;

namespace UpsAgent.Backup.Iso9660;

/// <summary>One ECMA-119 §9.1 directory record as planned; its LBA is resolved when the plan is written.</summary>
public sealed class PlannedRecord
{
    public required byte[] Identifier { get; init; }

    /// <summary>§9.1.6 file flags: bit 1 directory, bit 7 "another section follows".</summary>
    public byte FileFlags { get; init; }

    public PlannedDirectory? Directory { get; init; }

    public PlannedFile? File { get; init; }

    /// <summary>Byte offset of this section inside the file (multi-extent files, ECMA-119 §6.5.1).</summary>
    public long SectionOffsetBytes { get; init; }

    public uint SectionBytes { get; init; }

    public long RecordingTime { get; init; }

    public SystemUseArea? SystemUse { get; init; }

    public int LengthBytes { get; init; }
}
