using System.Globalization;
using UpsAgent.Backup.Jobs;

namespace UpsAgent.Hosting;

/// <summary>The text of "job list" and "job status", the same from the command line and the REPL.</summary>
public static class JobListing
{
    public static void WriteList(IReadOnlyList<JobState> states, TimeZoneInfo zone, TextWriter o)
    {
        if (states.Count == 0)
        {
            o.WriteLine("no [job NAME] sections configured");
        }

        foreach (JobState s in states)
        {
            BackupJob j = s.Job;
            o.WriteLine($"job {j.Name}: schedule '{j.Schedule}', next run {Local(s.NextRun, zone)}");
            foreach (string source in j.Sources)
            {
                o.WriteLine($"  source  {source} (as {JobTree.NameOf(source)}/)");
            }

            foreach (string database in j.Databases)
            {
                o.WriteLine($"  pg_dump {database} (as pg_dump/{database}.sql): {PgDump.Describe(j, database)}");
            }

            string checks = j.ImagePath is null ? "manifest, verify" : $"capacity {j.Capacity}, manifest {(j.Manifest ? "yes" : "no")}, verify {(j.Verify ? "yes" : "no")}, volume id {j.VolumeId}";
            o.WriteLine($"  target  {j.TargetText}; {checks}");
        }
    }

    public static void WriteStatus(IReadOnlyList<JobState> states, TimeZoneInfo zone, TextWriter o)
    {
        if (states.Count == 0)
        {
            o.WriteLine("no [job NAME] sections configured");
        }

        foreach (JobState s in states)
        {
            string running = s.Running ? "running now; " : "";
            o.WriteLine($"job {s.Job.Name}: {running}next run {Local(s.NextRun, zone)}");
            if (s.LastResult is not { } last)
            {
                o.WriteLine("  last run: never");
                continue;
            }

            o.WriteLine($"  last run: {last.Summary()}");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sizes:    session {last.SessionBytes} bytes, new data {last.NewBytes} bytes, dumps {last.DumpBytes} bytes"));
        }
    }

    private static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
}
