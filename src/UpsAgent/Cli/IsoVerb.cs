using System.Globalization;
using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Cli;

/// <summary>"upsagent iso build|ls|extract": ISO 9660 + Rock Ridge + Joliet images, like mkisofs -R -J.</summary>
public static class IsoVerb
{
    private static readonly OptionSpec Output = new("--output", "OUT.iso", "image file to write (build)", "-o");
    private static readonly OptionSpec VolumeId = new("--volume-id", "ID", "volume identifier, up to 32 d-characters (default UPSAGENT)", "-V");

    public static CliVerb Create() => new(
        "iso",
        "iso build -o OUT.iso SRC_DIR | iso ls IMAGE | iso extract IMAGE DEST_DIR",
        "Write and read ISO 9660 images with Rock Ridge and Joliet.",
        """
        build keeps modes, owners, times, symlinks, device nodes and long names exactly in Rock Ridge
        (like mkisofs -R, not -r), and adds a Joliet tree for Windows. The same tree and the same
        SOURCE_DATE_EPOCH give the same image bytes.
          iso build -o OUT.iso [-V LABEL] SRC_DIR
          iso ls IMAGE                 mode, links, uid, gid, size, time and path of every entry
          iso extract IMAGE DEST_DIR   restores data, modes, times, symlinks (owners when run as root)
        Exit codes: 0 done, 1 with a message naming the image and the problem, 2 for a bad command line.
        """,
        [Output, VolumeId],
        RunAsync);

    private static Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count == 0)
        {
            throw new UsageException("iso: give a subcommand (build, ls, extract)");
        }

        string command = args.Positional[0];
        List<string> words = args.Positional.Skip(1).ToList();
        try
        {
            int status = command switch
            {
                "build" => Build(args, words, cancellationToken),
                "ls" => List(words),
                "extract" => Extract(words, cancellationToken),
                _ => throw new UsageException($"iso: unknown subcommand '{command}' (build, ls, extract)"),
            };
            return Task.FromResult(status);
        }
        catch (Exception e) when (e is IsoFormatException or IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"iso {command}: {e.Message}");
            return Task.FromResult(1);
        }
    }

    private static int Build(ParsedArguments args, List<string> words, CancellationToken cancellationToken)
    {
        string output = args.Value(Output.Name) ?? throw new UsageException("iso build: give the image to write with -o OUT.iso");
        if (words.Count != 1)
        {
            throw new UsageException("iso build: give exactly one source directory");
        }

        string volumeId = args.Value(VolumeId.Name) ?? "UPSAGENT";
        if (volumeId.Length > 32 || volumeId.Any(c => c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')))
        {
            throw new UsageException($"iso build: volume id '{volumeId}' must be up to 32 of A-Z 0-9 _");
        }

        long time = long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out long epoch)
            ? epoch
            : DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        IsoPlan plan = IsoImageFile.Build(words[0], output, new IsoOptions(volumeId, time), cancellationToken);
        System.Console.Out.WriteLine($"{output}: {plan.VolumeBlocks} blocks ({(long)plan.VolumeBlocks * IsoFields.BlockBytes} bytes), {plan.Files.Count} files, {plan.PrimaryDirectories.Count} directories");
        return 0;
    }

    private static int List(List<string> words)
    {
        if (words.Count != 1)
        {
            throw new UsageException("iso ls: give exactly one image");
        }

        using var stream = new FileStream(words[0], FileMode.Open, FileAccess.Read);
        IsoImage image = IsoImage.Open(stream);
        TextWriter output = System.Console.Out;
        foreach ((string path, IsoEntry entry) in image.Walk())
        {
            string time = IsoFields.FromUnix(entry.ModifyTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            string link = entry.SymlinkTarget is null ? "" : $" -> {entry.SymlinkTarget}";
            output.WriteLine(FormattableString.Invariant($"{ModeText(entry.Mode)} {entry.Links,3} {entry.Uid,5} {entry.Gid,5} {entry.SizeBytes,12} {time} {path}{link}"));
        }

        return 0;
    }

    private static int Extract(List<string> words, CancellationToken cancellationToken)
    {
        if (words.Count != 2)
        {
            throw new UsageException("iso extract: give an image and a destination directory");
        }

        using var stream = new FileStream(words[0], FileMode.Open, FileAccess.Read);
        IsoImage image = IsoImage.Open(stream);
        int count = IsoExtractor.Extract(image, words[1], Environment.IsPrivilegedProcess, cancellationToken);
        System.Console.Out.WriteLine($"{words[1]}: {count} entries extracted");
        return 0;
    }

    private static string ModeText(uint mode)
    {
        char type = (mode & 0xF000) switch
        {
            0x4000 => 'd',
            0xA000 => 'l',
            0x2000 => 'c',
            0x6000 => 'b',
            0x1000 => 'p',
            0xC000 => 's',
            _ => '-',
        };
        const string Letters = "rwxrwxrwx";
        var chars = new char[10];
        chars[0] = type;
        for (int i = 0; i < 9; i++)
        {
            chars[i + 1] = (mode & (1u << (8 - i))) != 0 ? Letters[i] : '-';
        }

        return new string(chars);
    }
}
