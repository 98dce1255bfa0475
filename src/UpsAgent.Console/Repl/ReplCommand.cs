namespace UpsAgent.Console.Repl;

/// <summary>
/// One REPL verb such as "ups get": its words, usage, one-line summary and handler.
/// The handler writes to the given writer and returns 0 on success, like a process exit code.
/// </summary>
public sealed record ReplCommand(
    string Path,
    string Usage,
    string Summary,
    Func<ReplInvocation, Task<int>> Handler)
{
    public string[] Words { get; } = Path.Split(' ');
}
