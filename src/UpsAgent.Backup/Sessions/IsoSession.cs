namespace UpsAgent.Backup.Sessions;

/// <summary>
/// One session of an image, numbered from 1 like xorriso -toc: where its system area starts and how many
/// blocks its own primary descriptor states (specs/iso.md §3.5).
/// </summary>
public sealed record IsoSession(int Number, uint StartLba, uint SizeBlocks, string VolumeId, long RecordingTime)
{
    public uint EndLba => StartLba + SizeBlocks;
}
