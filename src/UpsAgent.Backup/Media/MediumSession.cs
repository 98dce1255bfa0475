namespace UpsAgent.Backup.Media;

/// <summary>One session as the table of contents lists it: number, first block, size in blocks, volume id.</summary>
public sealed record MediumSession(int Number, long StartLba, long Blocks, string VolumeId);
