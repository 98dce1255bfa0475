using System.Globalization;
using System.Text;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// The last result of each job under the state directory (jobs/NAME.last, "key=value" lines), so
/// "job status" answers after a restart and from the command line. Replaced by rename: a crash leaves the
/// old or the new result.
/// </summary>
public sealed class JobResultStore(string stateDirectory)
{
    private string PathOf(string job) => Path.Combine(Path.GetFullPath(stateDirectory), "jobs", job + ".last");

    public void Save(JobResult result)
    {
        string path = PathOf(result.Job);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"succeeded={(result.Succeeded ? "yes" : "no")}\n");
        text.Append(CultureInfo.InvariantCulture, $"started={result.StartedTime}\n");
        text.Append(CultureInfo.InvariantCulture, $"duration={result.DurationSeconds:0.###}\n");
        text.Append(CultureInfo.InvariantCulture, $"session-bytes={result.SessionBytes}\n");
        text.Append(CultureInfo.InvariantCulture, $"new-bytes={result.NewBytes}\n");
        text.Append(CultureInfo.InvariantCulture, $"dump-bytes={result.DumpBytes}\n");
        text.Append(CultureInfo.InvariantCulture, $"message={result.Message.Replace('\n', ' ')}\n");
        File.WriteAllText(path + ".new", text.ToString(), Encoding.UTF8);
        File.Move(path + ".new", path, overwrite: true);
    }

    /// <summary>The saved result, or null when the job never ran here or the file is unreadable.</summary>
    public JobResult? Load(string job)
    {
        string path = PathOf(job);
        if (!File.Exists(path))
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        if (!values.TryGetValue("started", out string? started) || !long.TryParse(started, NumberStyles.Integer, CultureInfo.InvariantCulture, out long startedTime))
        {
            return null;
        }

        return new JobResult(
            job,
            values.GetValueOrDefault("succeeded") == "yes",
            startedTime,
            double.TryParse(values.GetValueOrDefault("duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0,
            values.GetValueOrDefault("message") ?? "")
        {
            SessionBytes = Long(values, "session-bytes"),
            NewBytes = Long(values, "new-bytes"),
            DumpBytes = Long(values, "dump-bytes"),
        };
    }

    private static long Long(Dictionary<string, string> values, string key) =>
        long.TryParse(values.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;
}
