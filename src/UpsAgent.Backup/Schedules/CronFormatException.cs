namespace UpsAgent.Backup.Schedules;

/// <summary>A crontab time specification that cron would refuse; the message names the field and the value.</summary>
public sealed class CronFormatException(string message) : FormatException(message);
