namespace UpsAgent.Backup.Sessions;

/// <summary>An append was refused before anything was committed; the message names the image, file or limit.</summary>
public sealed class SessionException(string message, Exception? inner = null) : Exception(message, inner);
