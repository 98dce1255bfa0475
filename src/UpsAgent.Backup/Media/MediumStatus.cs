namespace UpsAgent.Backup.Media;

/// <summary>
/// What a target holds right now. <see cref="VolumeId"/> is the label of the newest session ("" when blank);
/// <see cref="FreeBlocks"/> is what a next session may use.
/// </summary>
public sealed record MediumStatus(
    string Target,
    string Kind,
    string MediumType,
    MediumState State,
    bool Rewritable,
    long CapacityBlocks,
    long UsedBlocks,
    long FreeBlocks,
    string VolumeId,
    IReadOnlyList<MediumSession> Sessions);
