namespace UpsAgent.Backup.Jobs;

/// <summary>A job step that failed in a way the job reports (a dump that failed, a refused medium), not a bug.</summary>
public sealed class JobFailedException(string message) : Exception(message);
