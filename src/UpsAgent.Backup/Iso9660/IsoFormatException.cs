namespace UpsAgent.Backup.Iso9660;

/// <summary>The image is not what ECMA-119 says it should be; the message names the block and the value seen.</summary>
public sealed class IsoFormatException(string message) : Exception(message);
