using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using UpsAgent.Console.Control;
using UpsAgent.Tui.Link;
using UpsAgent.Tui.Screens;

namespace UpsAgent.Tui;

/// <summary>
/// upsagent-console: the Terminal.Gui console, a client of the agent's control socket. It is its own
/// executable so the resident agent never loads Terminal.Gui; "upsagent console" starts it.
/// </summary>
public static class Program
{
    public const string Usage = "usage: upsagent-console [--control-socket PATH]   (normally started as 'upsagent console')";

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    public static int Main(string[] args)
    {
        string? socketPath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    System.Console.Out.WriteLine(Usage);
                    System.Console.Out.WriteLine();
                    System.Console.Out.WriteLine("A full-screen console over the running agent's control socket: UPS, RAID and shutdown");
                    System.Console.Out.WriteLine("status refreshed every 2 s, and a command line for every 'upsagent repl' command.");
                    return 0;
                case "--control-socket" when i + 1 < args.Length:
                    socketPath = args[++i];
                    break;
                default:
                    System.Console.Error.WriteLine($"upsagent console: unexpected argument '{args[i]}'");
                    System.Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        socketPath ??= ControlSocketPath.Default();
        if (socketPath == "none")
        {
            System.Console.Error.WriteLine("upsagent console: the control socket is 'none', so there is no agent to attach to; use 'upsagent repl'");
            return 2;
        }

        if (!TerminalCheck.IsInteractive(out string why))
        {
            System.Console.Error.WriteLine($"upsagent console: needs an interactive terminal ({why}); for scripts and pipes use 'upsagent repl'");
            return 1;
        }

        return Run(socketPath);
    }

    private static int Run(string socketPath)
    {
        // The main loop's default 25 iterations a second costs a few % of a core at idle; 10 still feels immediate.
        Application.MaximumIterationsPerSecond = 10;
        using IApplication app = Application.Create().Init();
        var statusLink = new SocketAgentLink(socketPath);
        var commandLink = new SocketAgentLink(socketPath);
        try
        {
            using var window = new ConsoleWindow(statusLink, commandLink, RefreshInterval);
            window.Attach(app);
            app.Run(window);
        }
        finally
        {
            statusLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
            commandLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return 0;
    }
}
