using System.Globalization;

namespace UpsAgent.Benchmarks;

/// <summary>Command line of <c>upsagent-bench snmp</c>.</summary>
public sealed record SnmpBenchOptions(TimeSpan Duration, TimeSpan Warmup, int Rounds, IReadOnlyList<int> Depths, int MaxRepetitions, string? AgentAssembly)
{
    public const string Usage = """
        usage: upsagent-bench snmp [options]
          --duration S       seconds per round (default 3)
          --rounds N         rounds per server and test, alternating snmpd/upsagent (default 3)
          --depths L         comma list of GETs in flight (default 1,8)
          --repetitions N    max-repetitions of the bulkwalk's GetBulk requests (default 25, as snmpbulkwalk -Cr25)
          --warmup S         seconds of unmeasured load on each server first (default 2)
          --agent PATH       upsagent.dll to measure (default src/UpsAgent/bin/Release/net10.0/upsagent.dll)
        """;

    public static (SnmpBenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new SnmpBenchOptions(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 3, [1, 8], 25, null);
        for (var i = 1; i < args.Count; i++)
        {
            if (i + 1 >= args.Count)
            {
                return (null, $"{args[i]} needs a value");
            }
            var value = args[++i];
            switch (args[i - 1])
            {
                case "--duration" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0:
                    options = options with { Duration = TimeSpan.FromSeconds(s) };
                    break;
                case "--warmup" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0:
                    options = options with { Warmup = TimeSpan.FromSeconds(s) };
                    break;
                case "--rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { Rounds = n };
                    break;
                case "--repetitions" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { MaxRepetitions = n };
                    break;
                case "--depths":
                    var depths = value.Split(',').Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 256 ? n : -1).ToList();
                    if (depths.Any(d => d < 0))
                    {
                        return (null, $"bad --depths {value}");
                    }
                    options = options with { Depths = depths };
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
