using Terminal.Gui.Drivers;

namespace UpsAgent.Tui;

/// <summary>
/// Whether a full-screen UI can run here. Without a terminal Terminal.Gui does not fail, it waits
/// forever, so the console must refuse up front (under a pipe, cron or systemd).
/// </summary>
public static class TerminalCheck
{
    public static bool IsInteractive(out string why)
    {
        // Terminal.Gui may find the controlling terminal through /dev/tty even when stdin or stdout
        // is a pipe or a file; a console started like that would take over the caller's terminal.
        if (System.Console.IsInputRedirected || System.Console.IsOutputRedirected)
        {
            why = System.Console.IsInputRedirected ? "input is redirected" : "output is redirected";
            return false;
        }

        if (Driver.IsAttachedToTerminal(out bool input, out bool output))
        {
            why = string.Empty;
            return true;
        }

        why = (input, output) switch
        {
            (false, false) => "no terminal on input or output",
            (false, true) => "input is not a terminal",
            (true, false) => "output is not a terminal",
            _ => "the terminal is not usable",
        };
        return false;
    }
}
