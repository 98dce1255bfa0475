using UpsAgent.Cli;
using UpsAgent.Console.Repl;

namespace UpsAgent.Hosting;

/// <summary>
/// The REPL's "iso" and "media" groups: the command line's iso and media subcommands, same options, same
/// output (errors and progress go to the REPL's output too). Long work honours the REPL's cancellation.
/// </summary>
public static class BackupReplCommands
{
    public static void Register(CommandShell shell)
    {
        Add(shell, "iso", "build", "iso build -o OUT.iso [-V LABEL] [--manifest] SRC_DIR", "write SRC_DIR as an ISO 9660 image with Rock Ridge and Joliet (mkisofs -R -J)", IsoVerb.Options, IsoVerb.RunAsync);
        Add(shell, "iso", "append", "iso append [-V LABEL] [--capacity SIZE] [--reuse RULE] [--manifest] IMAGE SRC_DIR", "add a session holding SRC_DIR as it is now", IsoVerb.Options, IsoVerb.RunAsync);
        Add(shell, "iso", "sessions", "iso sessions IMAGE", "start, size, label and time of every session", IsoVerb.Options, IsoVerb.RunAsync);
        Add(shell, "iso", "ls", "iso ls [--session N] IMAGE", "every entry of the newest (or the given) session", IsoVerb.Options, IsoVerb.RunAsync);
        Add(shell, "iso", "extract", "iso extract [--session N] IMAGE DEST_DIR", "restore a session's files with their modes and times", IsoVerb.Options, IsoVerb.RunAsync);
        Add(shell, "iso", "verify", "iso verify [--session N | --all-sessions] [--state-dir DIR] IMAGE", "read every block and check every file against the manifest", IsoVerb.Options, IsoVerb.RunAsync);
        Add(shell, "media", "status", "media status TARGET", "type, state, label, blocks and sessions of a medium", MediaVerb.Options, MediaVerb.RunAsync);
        Add(shell, "media", "blank", "media blank [--full] [--type TYPE [--write-once]] TARGET", "empty a rewritable medium, or create a blank virtual disc", MediaVerb.Options, MediaVerb.RunAsync);
        Add(shell, "media", "msinfo", "media msinfo TARGET", "LAST,NEXT for mkisofs -C; nothing for a blank medium", MediaVerb.Options, MediaVerb.RunAsync);
        Add(shell, "media", "write", "media write [-V LABEL] TARGET SRC_DIR", "write SRC_DIR with its manifest to a blank medium, then verify it", MediaVerb.Options, MediaVerb.RunAsync);
        Add(shell, "media", "rotate", "media rotate --medium LABEL=TARGET... [--dry-run] SRC_DIR", "write the next medium of a rotation set", MediaVerb.Options, MediaVerb.RunAsync);
    }

    private static void Add(
        CommandShell shell, string group, string subcommand, string usage, string summary, IReadOnlyList<OptionSpec> options,
        Func<ParsedArguments, TextWriter, TextWriter, CancellationToken, Task<int>> run) =>
        shell.Add(new ReplCommand($"{group} {subcommand}", usage, summary, async i =>
        {
            try
            {
                ParsedArguments parsed = ArgumentParser.Parse([subcommand, .. i.Arguments], options, group);
                return await run(parsed, i.Output, i.Output, i.CancellationToken).ConfigureAwait(false);
            }
            catch (UsageException e)
            {
                i.Output.WriteLine($"error: {e.Message}");
                return i.Usage();
            }
        }));
}
