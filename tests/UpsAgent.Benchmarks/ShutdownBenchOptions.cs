using System.Globalization;

namespace UpsAgent.Benchmarks;

/// <summary>Command line of <c>upsagent-bench shutdown</c>.</summary>
public sealed record ShutdownBenchOptions(int LocalRounds, int RemoteRounds, string? AgentAssembly)
{
    public const string Usage = """
        usage: upsagent-bench shutdown [options]
          --local-rounds N   local UPS rounds: simulated LB to the agent's shutdown command (default 5)
          --remote-rounds N  remote rounds: FSD on a real upsd to each secondary's command (default 5)
          --agent PATH       upsagent.dll to measure (default src/UpsAgent/bin/Release/net10.0/upsagent.dll)
        """;

    public static (ShutdownBenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new ShutdownBenchOptions(5, 5, null);
        for (var i = 1; i < args.Count; i++)
        {
            if (i + 1 >= args.Count)
            {
                return (null, $"{args[i]} needs a value");
            }
            var value = args[++i];
            switch (args[i - 1])
            {
                case "--local-rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    options = options with { LocalRounds = n };
                    break;
                case "--remote-rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    options = options with { RemoteRounds = n };
                    break;
                case "--agent":
                    options = options with { AgentAssembly = Path.GetFullPath(value) };
                    break;
                default:
                    return (null, $"unknown option or bad value: {args[i - 1]} {value}");
            }
        }
        return (options, null);
    }
}
