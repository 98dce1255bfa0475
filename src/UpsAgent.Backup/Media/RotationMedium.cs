namespace UpsAgent.Backup.Media;

/// <summary>
/// One medium of a rotation set as the planner sees it: its label (the volume id every session on it
/// carries), what it holds now, and from the catalog when it was last written and last verified good
/// (Unix seconds, 0 for never).
/// </summary>
public sealed record RotationMedium(string Label, MediumState State, bool Rewritable, long LastWrittenTime, long LastGoodTime);
