namespace UpsAgent.Console.Control;

/// <summary>
/// The control socket's framing: the client sends one command line; the agent answers with the
/// command's output lines and then one line made of the record separator and the exit code.
/// Output lines never start with the separator (it is stripped), so the end is unambiguous.
/// </summary>
public static class ControlFraming
{
    public const char EndOfReply = '\u001e';

    /// <summary>Longest command line accepted; longer input closes the connection.</summary>
    public const int MaxRequestChars = 64 * 1024;

    public static string EndLine(int exitCode) => $"{EndOfReply}{exitCode}";

    public static string SanitizeOutputLine(string line) => line.TrimStart(EndOfReply);

    public static bool TryParseEnd(string line, out int exitCode)
    {
        exitCode = 0;
        return line.Length > 1 && line[0] == EndOfReply && int.TryParse(line.AsSpan(1), out exitCode);
    }
}
