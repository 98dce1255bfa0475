using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// The host's record of written sessions under a state directory: <c>catalog/sessions</c> (one line per session,
/// newest last, fields escaped like manifests) and a copy of each session's manifest in
/// <c>catalog/manifests/VOLID-CREATED.manifest</c>. Files are replaced by rename, so a crash leaves the old or
/// the new catalog, never half of one.
/// </summary>
public sealed class BackupCatalog(string stateDirectory)
{
    private const string Magic = "upsagent-catalog 1";
    private const string ColumnsLine = "# volume created target start blocks metadata-blocks metadata-sha256 manifest-sha256 state verified";

    public string Directory { get; } = Path.Combine(Path.GetFullPath(stateDirectory), "catalog");

    private string SessionsPath => Path.Combine(Directory, "sessions");

    public IReadOnlyList<CatalogSession> Sessions()
    {
        if (!File.Exists(SessionsPath))
        {
            return [];
        }

        string[] lines = File.ReadAllLines(SessionsPath, Encoding.UTF8);
        if (lines.Length == 0 || lines[0] != Magic)
        {
            throw new ManifestFormatException($"{SessionsPath}: first line is not '{Magic}'");
        }

        var sessions = new List<CatalogSession>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#'))
            {
                continue;
            }

            sessions.Add(ParseSession(lines[i], $"{SessionsPath} line {i + 1}"));
        }

        return sessions;
    }

    public CatalogSession? Find(string volumeId, long createdTime) =>
        Sessions().LastOrDefault(s => s.VolumeId == volumeId && s.CreatedTime == createdTime);

    /// <summary>Records a written session and keeps its manifest; an entry with the same identity is replaced.</summary>
    public void Add(CatalogSession session, byte[] manifestBytes)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "manifests"));
        ReplaceFile(ManifestPath(session), manifestBytes);
        var sessions = Sessions().Where(s => !SameSession(s, session)).Append(session).ToList();
        Save(sessions);
    }

    public CatalogSession MarkVerified(CatalogSession session, bool good, long time)
    {
        CatalogSession updated = session with { State = good ? VerifyState.Good : VerifyState.Bad, VerifiedTime = time };
        Save(Sessions().Select(s => SameSession(s, session) ? updated : s).ToList());
        return updated;
    }

    /// <summary>The kept copy of a session's manifest, checked against the digest recorded with the session.</summary>
    public BackupManifest LoadManifest(CatalogSession session)
    {
        string path = ManifestPath(session);
        byte[] bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new ManifestFormatException($"{path}: the catalog's copy of the manifest is missing");
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (sha != session.ManifestSha256)
        {
            throw new ManifestFormatException($"{path}: hashes to {sha}, the catalog recorded {session.ManifestSha256}");
        }

        return BackupManifest.Parse(bytes, path);
    }

    public string ManifestPath(CatalogSession session) =>
        Path.Combine(Directory, "manifests", FormattableString.Invariant($"{SafeName(session.VolumeId)}-{session.CreatedTime}.manifest"));

    private static bool SameSession(CatalogSession a, CatalogSession b) => a.VolumeId == b.VolumeId && a.CreatedTime == b.CreatedTime;

    private void Save(List<CatalogSession> sessions)
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n').Append(ColumnsLine).Append('\n');
        foreach (CatalogSession s in sessions)
        {
            sb.Append(ManifestText.Escape(s.VolumeId)).Append(' ')
                .Append(CultureInfo.InvariantCulture, $"{s.CreatedTime} ")
                .Append(ManifestText.Escape(s.Target)).Append(' ')
                .Append(CultureInfo.InvariantCulture, $"{s.StartLba} {s.Blocks} {s.MetadataBlocks} {s.MetadataSha256} {s.ManifestSha256} ")
                .Append(s.State.ToString().ToLowerInvariant()).Append(' ')
                .Append(CultureInfo.InvariantCulture, $"{s.VerifiedTime}\n");
        }

        System.IO.Directory.CreateDirectory(Directory);
        ReplaceFile(SessionsPath, Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private static CatalogSession ParseSession(string line, string where)
    {
        string[] f = line.Split(' ');
        if (f.Length != 10)
        {
            throw new ManifestFormatException($"{where}: {f.Length} fields, expected 10 ({ColumnsLine[2..]})");
        }

        VerifyState state = f[8] switch
        {
            "unverified" => VerifyState.Unverified,
            "good" => VerifyState.Good,
            "bad" => VerifyState.Bad,
            _ => throw new ManifestFormatException($"{where}: state '{f[8]}' is not unverified, good or bad"),
        };
        return new CatalogSession(
            ManifestText.Unescape(f[0], where) ?? "",
            Long(f[1], where),
            ManifestText.Unescape(f[2], where) ?? "",
            (uint)Long(f[3], where),
            (uint)Long(f[4], where),
            (uint)Long(f[5], where),
            f[6],
            f[7],
            state,
            Long(f[9], where));
    }

    private static long Long(string text, string where) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new ManifestFormatException($"{where}: '{text}' is not a number");

    private static string SafeName(string volumeId)
    {
        var sb = new StringBuilder();
        foreach (char c in volumeId)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return sb.Length == 0 ? "_" : sb.ToString();
    }

    private static void ReplaceFile(string path, byte[] bytes)
    {
        string temp = path + ".new";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
