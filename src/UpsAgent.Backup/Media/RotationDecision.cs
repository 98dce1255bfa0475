namespace UpsAgent.Backup.Media;

/// <summary>Which medium the next backup goes to and why, or why none may be used.</summary>
public sealed record RotationDecision(RotationAction Action, string? Label, string Reason);
