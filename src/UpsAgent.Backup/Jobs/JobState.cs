namespace UpsAgent.Backup.Jobs;

/// <summary>What the scheduler knows of a job: its next run, whether a run is going, and how the last one ended.</summary>
public sealed record JobState(BackupJob Job, DateTimeOffset NextRun, bool Running, JobResult? LastResult);
