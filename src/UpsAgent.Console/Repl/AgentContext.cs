using UpsAgent.Core.Commands;

namespace UpsAgent.Console.Repl;

/// <summary>What REPL commands can reach: the UPSes and the engines' status, wherever they run.</summary>
public sealed class AgentContext(UpsRegistry registry, IReadOnlyList<IStatusReporter> statusReporters, string where)
{
    public UpsRegistry Registry { get; } = registry;

    public IReadOnlyList<IStatusReporter> StatusReporters { get; } = statusReporters;

    /// <summary>"agent pid N" or "in-process": shown by status so the admin knows what they talk to.</summary>
    public string Where { get; } = where;
}
