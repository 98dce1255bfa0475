namespace UpsAgent.Console.Repl;

/// <summary>An engine that contributes lines to the "status" command (NUT server, RAID arrays, jobs...).</summary>
public interface IStatusReporter
{
    string Name { get; }

    void WriteStatus(TextWriter output);
}
