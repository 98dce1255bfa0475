namespace UpsAgent.Tui.Link;

/// <summary>What one REPL command printed and its exit code (0 on success), as `upsagent repl` shows them.</summary>
public sealed record CommandReply(int ExitCode, IReadOnlyList<string> Lines);
