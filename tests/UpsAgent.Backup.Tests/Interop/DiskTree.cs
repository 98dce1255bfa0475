using System.Security.Cryptography;
using System.Text;
using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Tests.Interop;

/// <summary>
/// The interop test tree on disk (after specs/iso.md §4 make_tree.sh): Japanese names, names over 64
/// characters and one that needs a continuation area, a 10-level deep directory, a 0600 file owned by
/// 1234:1234 (when run as root), empty file and directory, relative and absolute symlinks, fixed times; as root also a character device and a fifo.
/// </summary>
internal static class DiskTree
{
    public const long Time = 1709213862; // 2024-02-29 13:37:42 UTC
    public const long LinkTime = 1672628645; // 2023-01-02 03:04:05 UTC
    public const string LongName = "this_is_a_very_long_file_name_that_exceeds_the_iso9660_level2_limit_and_joliet_64_chars_backup.tar.gz";

    public static void Create(string root)
    {
        Directory.CreateDirectory(root);
        Write(root, "README.txt", "hello\n");
        Write(root, "バックアップ.sql", "x");
        Write(root, "日本語ディレクトリ/データ.txt", "data\n");
        Write(root, LongName, "long\n");
        Write(root, new string('n', 200) + ".txt", "needs a continuation area\n");
        string deep = "deep/" + string.Join('/', Enumerable.Range(1, 9).Select(i => $"l{i}"));
        Write(root, deep + "/bottom.txt", "bottom\n");
        Write(root, "secret_0600.conf", "secret\n");
        File.SetUnixFileMode(Path.Combine(root, "secret_0600.conf"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(root, "empty.txt", "");
        Directory.CreateDirectory(Path.Combine(root, "empty_dir"));
        byte[] random = new byte[100003];
        new Random(42).NextBytes(random);
        File.WriteAllBytes(Path.Combine(root, "random.bin"), random);
        File.CreateSymbolicLink(Path.Combine(root, "link_to_dump"), "バックアップ.sql");
        File.CreateSymbolicLink(Path.Combine(root, "abs_link"), "/etc/hostname");
        if (Environment.IsPrivilegedProcess)
        {
            PosixFiles.LChown(Path.Combine(root, "secret_0600.conf"), 1234, 1234);
            PosixFiles.MakeNode(Path.Combine(root, "dev_null"), 0x2000 | 0x1B6, 1, 3);
            PosixFiles.MakeNode(Path.Combine(root, "a_fifo"), 0x1000 | 0x1A4, 0, 0);
        }

        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            bool link = new FileInfo(path).LinkTarget is not null;
            PosixFiles.SetTimes(path, Time, link ? LinkTime : Time);
        }
    }

    /// <summary>One line per entry below the root: path, type, mode, owner, size, mtime, link target, SHA-256.</summary>
    public static List<string> Manifest(string root)
    {
        var lines = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            PosixStat st = PosixFiles.LStat(path);
            string kind = (st.Mode & 0xF000) switch { 0x4000 => "d", 0xA000 => "l", 0x2000 => $"c{st.RdevMajor},{st.RdevMinor}", 0x1000 => "p", _ => "f" };
            string hash = kind == "f" ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "";
            string size = kind == "f" ? st.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            string target = kind == "l" ? new FileInfo(path).LinkTarget ?? "" : "";
            lines.Add(FormattableString.Invariant($"{Path.GetRelativePath(root, path)}|{kind}|{Convert.ToString(st.Mode & 0xFFF, 8)}|{st.Uid}:{st.Gid}|{size}|{st.ModifyTime}|{target}|{hash}"));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void Write(string root, string relative, string text)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
