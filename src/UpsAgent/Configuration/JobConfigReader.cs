using UpsAgent.Backup.Jobs;
using UpsAgent.Backup.Schedules;

namespace UpsAgent.Configuration;

/// <summary>
/// Reads [job NAME] sections: a crontab schedule, what to back up (source = DIR, pg_dump = DBNAME, both
/// repeatable) and one target (image = PATH, grown by a session per run, or rotation = LABEL=TARGET,...).
/// </summary>
internal static class JobConfigReader
{
    private const string Keys = "schedule, source, pg_dump, pg_dump-user, pg_dump-options, pg_dump-command, image, capacity, rotation, volume-id, verify, manifest or state-dir";

    public static BackupJob Read(ConfigSection section, IReadOnlyList<BackupJob> existing)
    {
        string name = section.Name ?? throw section.Error("[job] needs a name: [job NAME]");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || name.StartsWith('.'))
        {
            throw section.Error($"job name '{name}' may only hold letters, digits and . _ - (and not start with '.')");
        }

        if (existing.Any(j => string.Equals(j.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw section.Error($"job '{name}' is configured twice");
        }

        CronSchedule? schedule = null;
        var sources = new List<string>();
        var databases = new List<string>();
        string user = "postgres";
        string command = "pg_dump";
        List<string> options = [];
        string? image = null;
        List<(string Label, string Target)>? rotation = null;
        ConfigEntry? volumeEntry = null;
        ConfigEntry? capacityEntry = null;
        JobCapacity capacity = JobCapacity.FreeSpace;
        bool? verify = null;
        bool? manifest = null;
        ConfigEntry? verifyEntry = null;
        ConfigEntry? manifestEntry = null;
        string? env = Environment.GetEnvironmentVariable("UPSAGENT_STATE_DIR");
        string stateDirectory = string.IsNullOrEmpty(env) ? "/var/lib/upsagent" : env;
        string volumeId = VolumeIdFrom(name);
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "schedule":
                    try
                    {
                        schedule = CronSchedule.Parse(e.Value);
                    }
                    catch (CronFormatException x)
                    {
                        throw e.Error(x.Message);
                    }

                    break;
                case "source":
                    string source = AbsolutePath(e);
                    string kept = JobTree.NameOf(source);
                    if (kept.Length == 0)
                    {
                        throw e.Error($"'{e.Value}' has no last path component to keep it under; give a directory below /");
                    }

                    if (sources.Any(s => JobTree.NameOf(s) == kept))
                    {
                        throw e.Error($"another source is also kept under '{kept}'; each source directory keeps its last path component as its name");
                    }

                    sources.Add(source);
                    break;
                case "pg_dump":
                    if (e.Value.Length == 0 || e.Value.StartsWith('-') || e.Value.Any(c => c is '/' or '\0' || char.IsControl(c)) || e.Value is "." or "..")
                    {
                        throw e.Error($"'{e.Value}' is not a database name (it becomes the file pg_dump/{e.Value}.sql: no '/', no leading '-')");
                    }

                    if (databases.Contains(e.Value))
                    {
                        throw e.Error($"database {e.Value} is dumped twice");
                    }

                    databases.Add(e.Value);
                    break;
                case "pg_dump-user":
                    user = e.Value.Length > 0 && !e.Value.Any(char.IsWhiteSpace) ? e.Value : throw e.Error($"'{e.Value}' is not a user name");
                    break;
                case "pg_dump-command":
                    command = e.Value.Length > 0 ? e.Value : throw e.Error("give the pg_dump program, e.g. /usr/lib/postgresql/17/bin/pg_dump");
                    break;
                case "pg_dump-options":
                    options = [.. e.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
                    break;
                case "image":
                    image = AbsolutePath(e);
                    break;
                case "capacity":
                    capacityEntry = e;
                    try
                    {
                        capacity = JobCapacity.Parse(e.Value);
                    }
                    catch (FormatException x)
                    {
                        throw e.Error(x.Message);
                    }

                    break;
                case "rotation":
                    rotation = Rotation(e);
                    break;
                case "volume-id":
                    volumeEntry = e;
                    volumeId = IsLabel(e.Value) ? e.Value : throw e.Error($"'{e.Value}' must be 1 to 32 of A-Z 0-9 _");
                    break;
                case "verify":
                    verifyEntry = e;
                    verify = ConfigValues.YesNo(e);
                    break;
                case "manifest":
                    manifestEntry = e;
                    manifest = ConfigValues.YesNo(e);
                    break;
                case "state-dir":
                    stateDirectory = AbsolutePath(e);
                    break;
                default:
                    throw e.Error($"unknown key in [job]; expected {Keys}");
            }
        }

        if (schedule is null)
        {
            throw section.Error($"job '{name}' has no 'schedule = ...' line (crontab's five fields, e.g. '30 3 * * *', or @daily)");
        }

        if (sources.Count == 0 && databases.Count == 0)
        {
            throw section.Error($"job '{name}' backs nothing up: give 'source = DIR' or 'pg_dump = DBNAME' lines");
        }

        if (databases.Count > 0 && sources.Any(s => JobTree.NameOf(s) == "pg_dump"))
        {
            throw section.Error("a source directory named 'pg_dump' would clash with the dumps' directory pg_dump/");
        }

        if ((image is null) == (rotation is null))
        {
            throw section.Error($"job '{name}' needs exactly one target: 'image = PATH' or 'rotation = LABEL=TARGET,LABEL=TARGET'");
        }

        if (rotation is not null)
        {
            if (verify == false)
            {
                throw verifyEntry!.Error("a rotation set always reads the new session back: it decides which medium holds the newest good backup");
            }

            if (manifest == false)
            {
                throw manifestEntry!.Error("a rotation set always writes a manifest: the catalog needs it to choose the next medium");
            }

            if (capacityEntry is not null)
            {
                throw capacityEntry.Error("a rotation set's media know their own capacity (the type 'media blank --type' gave an image, the disc in a drive, a directory's file system); capacity is for image = PATH");
            }

            if (volumeEntry is not null)
            {
                throw volumeEntry.Error("a rotation set labels each session with its medium's LABEL; volume-id is for image = PATH");
            }
        }

        return new BackupJob(name, schedule)
        {
            Sources = sources,
            Databases = databases,
            PgDumpUser = user,
            PgDumpCommand = command,
            PgDumpOptions = options,
            ImagePath = image,
            Rotation = rotation ?? [],
            VolumeId = volumeId,
            Capacity = capacity,
            Verify = verify ?? true,
            Manifest = manifest ?? true,
            StateDirectory = stateDirectory,
        };
    }

    private static List<(string Label, string Target)> Rotation(ConfigEntry e)
    {
        var set = new List<(string Label, string Target)>();
        foreach (string medium in e.Value.Split(',', StringSplitOptions.TrimEntries))
        {
            int equals = medium.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == medium.Length - 1)
            {
                throw e.Error($"'{medium}' is not LABEL=TARGET (e.g. rotation = UPSAGENT_A=/backup/a.iso,UPSAGENT_B=/backup/b.iso)");
            }

            string label = medium[..equals].Trim();
            string target = medium[(equals + 1)..].Trim();
            if (!IsLabel(label))
            {
                throw e.Error($"label '{label}' must be 1 to 32 of A-Z 0-9 _");
            }

            if (set.Any(m => m.Label == label))
            {
                throw e.Error($"label {label} appears twice in the rotation set");
            }

            if (!target.StartsWith('/') && !target.StartsWith("stdio:/", StringComparison.Ordinal))
            {
                throw e.Error($"target '{target}' is not an absolute path (an image file, a directory, /dev/srN or stdio:/PATH)");
            }

            set.Add((label, target));
        }

        return set;
    }

    private static string AbsolutePath(ConfigEntry e) =>
        e.Value.StartsWith('/') ? e.Value : throw e.Error($"'{e.Value}' is not an absolute path");

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 32 && label.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    /// <summary>The job's name as a volume id: upper case, other characters as '_', at most 32.</summary>
    private static string VolumeIdFrom(string name)
    {
        string id = new(name.ToUpperInvariant().Select(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') ? c : '_').ToArray());
        return id.Length > 32 ? id[..32] : id;
    }
}
