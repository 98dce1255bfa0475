namespace UpsAgent.Backup.Manifest;

/// <summary>A manifest or catalog file is not in the format this version writes; the message names the line.</summary>
public sealed class ManifestFormatException(string message) : Exception(message);
