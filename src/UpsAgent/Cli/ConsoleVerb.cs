using System.Diagnostics;
using System.Runtime.InteropServices;
using UpsAgent.Configuration;

namespace UpsAgent.Cli;

/// <summary>
/// "upsagent console": starts the full-screen console, the separate upsagent-console executable
/// installed beside this one, on this terminal. It is separate so the resident agent never loads
/// Terminal.Gui (whose start-up cost alone would double the agent's memory under NativeAOT).
/// </summary>
public static class ConsoleVerb
{
    public const string ExecutableName = "upsagent-console";

    public static CliVerb Create() => new(
        "console",
        "console [--config FILE] [--control-socket PATH]",
        "Full-screen console for SSH sessions: live UPS/RAID/shutdown status and the REPL's commands.",
        """
        Attaches to the running agent through its control socket (it does not start one): the top pane
        shows each UPS's status, charge, runtime and data state, the arrays' state and rebuild progress,
        and the shutdown verdict, refreshed every 2 s; the command line runs any 'upsagent repl' command.
        Up/Down recall earlier commands; Esc, F10, Ctrl-Q or 'quit' leave. When no agent answers it says
        so and keeps retrying. It needs a terminal: in scripts and pipes use 'upsagent repl'.
        """,
        [CommonOptions.Config, CommonOptions.ControlSocket],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"console: unexpected argument '{args.Positional[0]}'");
        }

        string socketPath = args.Value("--control-socket") ?? ConfigResolver.Resolve(args.Value("--config")).ControlSocket ?? "none";
        ProcessStartInfo? start = Locate(AppContext.BaseDirectory, Environment.ProcessPath);
        if (start is null)
        {
            System.Console.Error.WriteLine(
                $"upsagent: console: {ExecutableName} is not installed beside upsagent in {AppContext.BaseDirectory}; 'upsagent repl' runs the same commands");
            return 1;
        }

        start.ArgumentList.Add("--control-socket");
        start.ArgumentList.Add(socketPath);
        start.UseShellExecute = false; // the child inherits this terminal as stdin, stdout and stderr

        // Ctrl-C reaches the whole foreground process group; the console decides what it means, and
        // this process waits for it rather than dying first and leaving the terminal to it.
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using Process child = Process.Start(start) ?? throw new IOException($"cannot start {start.FileName}");
        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return child.ExitCode;
    }

    /// <summary>
    /// How to start the console beside this executable: its own apphost or native binary, or, when this
    /// process runs as "dotnet upsagent.dll", the same dotnet host with upsagent-console.dll.
    /// </summary>
    public static ProcessStartInfo? Locate(string directory, string? processPath)
    {
        string dll = Path.Combine(directory, ExecutableName + ".dll");
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" && File.Exists(dll))
        {
            var viaHost = new ProcessStartInfo(processPath);
            viaHost.ArgumentList.Add(dll);
            return viaHost;
        }

        string native = Path.Combine(directory, ExecutableName);
        return File.Exists(native) ? new ProcessStartInfo(native) : null;
    }
}
