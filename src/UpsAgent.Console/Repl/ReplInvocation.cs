namespace UpsAgent.Console.Repl;

/// <summary>The arguments after a command's words, where to write, and the cancellation of the caller.</summary>
public sealed record ReplInvocation(
    ReplCommand Command,
    IReadOnlyList<string> Arguments,
    TextWriter Output,
    CancellationToken CancellationToken)
{
    public int Usage()
    {
        Output.WriteLine($"usage: {Command.Usage}");
        return 2;
    }

    public int Fail(string message)
    {
        Output.WriteLine($"error: {message}");
        return 1;
    }
}
