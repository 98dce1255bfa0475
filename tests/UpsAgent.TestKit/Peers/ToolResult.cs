namespace UpsAgent.TestKit.Peers;

/// <summary>What a command-line client printed and how it exited.</summary>
public sealed record ToolResult(string Command, int ExitCode, string StdOut, string StdErr, bool TimedOut)
{
    /// <summary>stdout then stderr: NUT's clients print results and errors on different streams.</summary>
    public string AllOutput => StdOut + StdErr;

    public override string ToString() =>
        $"$ {Command}\nexit {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout\n{StdOut}--- stderr\n{StdErr}";
}
