using System.Collections.Immutable;

namespace UpsAgent.Core.Processes;

/// <summary>A program to start: no shell unless the caller asks for /bin/sh explicitly.</summary>
public sealed record ProcessSpec(string FileName, ImmutableArray<string> Arguments)
{
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// A command line as NUT's SHUTDOWNCMD/NOTIFYCMD are written (run by /bin/sh), with extra
    /// arguments passed as "$1"... so they never need quoting.
    /// </summary>
    public static ProcessSpec Shell(string commandLine, params string[] arguments)
    {
        string script = arguments.Length == 0
            ? commandLine
            : commandLine + string.Concat(Enumerable.Range(1, arguments.Length).Select(i => $" \"${i}\""));
        return new ProcessSpec("/bin/sh", ["-c", script, "upsagent", .. arguments]);
    }

    public override string ToString() => FileName + " " + string.Join(' ', Arguments);
}
