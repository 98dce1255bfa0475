namespace UpsAgent.Backup.Sessions;

/// <summary>
/// What cdrecord -msinfo reports (specs/iso.md §3.2): the start of the last session and the next writable
/// address. A blank virtual disc answers 0 and 32: its first session goes after the 64 KiB that will hold
/// the copy of the newest descriptors.
/// </summary>
public readonly record struct MsInfo(uint LastSessionStartLba, uint NextWritableLba)
{
    public override string ToString() => FormattableString.Invariant($"{LastSessionStartLba},{NextWritableLba}");
}
