using UpsAgent.Configuration;
using UpsAgent.Console.Control;
using UpsAgent.Hosting;

namespace UpsAgent.Cli;

/// <summary>
/// "upsagent repl": a line REPL on stdin/stdout. It attaches to the running agent through the
/// control socket; only when no agent runs does it start the drivers in-process.
/// </summary>
public static class ReplVerb
{
    private static readonly OptionSpec Command = new("--command", "LINE", "run one command and exit with its status", "-c");

    private static readonly OptionSpec InProcess = new("--in-process", null, "do not attach to a running agent; run the drivers here");

    public static CliVerb Create() => new(
        "repl",
        "repl [--config FILE] [--control-socket PATH] [-c LINE]",
        "Interactive commands (ups list, ups vars NAME, ups set ..., help), or a script from a pipe.",
        """
        Reads one command per line: `echo "ups list" | upsagent repl` runs a script. When an agent is
        running (its control socket answers), commands run inside it; otherwise the REPL starts the
        configured drivers in-process, without network listeners. Type 'help' for the commands.
        Exit code: 0 when every command succeeded, else the status of the last failing command.
        """,
        [CommonOptions.Config, CommonOptions.ControlSocket, Command, InProcess],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"repl: unexpected argument '{args.Positional[0]}' (use -c \"LINE\" for one command)");
        }

        string? socketPath = args.Value("--control-socket");
        AgentConfig? config = null;
        if (socketPath is null)
        {
            config = ConfigResolver.Resolve(args.Value("--config"));
            socketPath = config.ControlSocket;
        }

        if (!args.Has("--in-process") && socketPath is not null and not "none")
        {
            await using ControlClient? client = ControlClient.TryConnect(socketPath);
            if (client is not null)
            {
                return await LoopAsync(args.Value("--command"), (line, output, ct) => client.ExecuteAsync(line, output, ct), cancellationToken).ConfigureAwait(false);
            }
        }

        config ??= ConfigResolver.Resolve(args.Value("--config"));
        await using var host = new AgentHost(config, AgentHostMode.InProcess);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        await host.WaitForFirstDataAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        return await LoopAsync(args.Value("--command"), host.Shell.ExecuteAsync, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> LoopAsync(
        string? oneCommand,
        Func<string, TextWriter, CancellationToken, Task<int>> execute,
        CancellationToken cancellationToken)
    {
        TextWriter output = System.Console.Out;
        if (oneCommand is not null)
        {
            return await execute(oneCommand, output, cancellationToken).ConfigureAwait(false);
        }

        bool interactive = !System.Console.IsInputRedirected;
        int status = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive)
            {
                output.Write("upsagent> ");
                output.Flush();
            }

            string? line = await System.Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                break;
            }

            string trimmed = line.Trim();
            if (trimmed is "quit" or "exit")
            {
                break;
            }

            int code = await execute(trimmed, output, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                status = code;
            }

            output.Flush();
        }

        return status;
    }
}
