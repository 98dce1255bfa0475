namespace UpsAgent.Backup.Media;

/// <summary>
/// The medium cannot do what was asked (full, closed, write-once, wrong label, drive tool failed); the
/// message names the target and what it reported. Nothing was written when this is thrown before a write.
/// </summary>
public sealed class MediumException(string message) : IOException(message);
