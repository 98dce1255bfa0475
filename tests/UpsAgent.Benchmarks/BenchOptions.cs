using System.Globalization;

namespace UpsAgent.Benchmarks;

/// <summary>Command line of <c>upsagent-bench nut</c>.</summary>
public sealed record BenchOptions(
    TimeSpan Duration,
    TimeSpan Warmup,
    int Rounds,
    IReadOnlyList<int> Connections,
    IReadOnlyList<int> Depths,
    string? AgentAssembly,
    string? DeviceFile)
{
    public const string Usage = """
        usage: upsagent-bench nut [options]
          --duration S       seconds per round (default 3)
          --rounds N         rounds per server and level, alternating upsd/upsagent (default 2)
          --connections L    comma list of connection counts (default 1,10,100)
          --depths L         comma list of requests in flight per connection (default 1,8)
          --warmup S         seconds of unmeasured load on each server first (default 2)
          --agent PATH       upsagent.dll to measure (default src/UpsAgent/bin/Release/net10.0/upsagent.dll)
          --device PATH      device file both servers play (default hw/devices/online.dev)
        """;

    public IEnumerable<LoadLevel> Levels => Connections.SelectMany(c => Depths.Select(d => new LoadLevel(c, d)));

    /// <summary>Null with a message when the arguments are not understood.</summary>
    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != "nut")
        {
            return (null, "the first argument must be what to measure: nut or shutdown");
        }
        var options = new BenchOptions(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 2, [1, 10, 100], [1, 8], null, null);
        for (var i = 1; i < args.Count; i++)
        {
            if (i + 1 >= args.Count)
            {
                return (null, $"{args[i]} needs a value");
            }
            var value = args[++i];
            try
            {
                options = args[i - 1] switch
                {
                    "--duration" => options with { Duration = Seconds(value) },
                    "--warmup" => options with { Warmup = Seconds(value) },
                    "--rounds" => options with { Rounds = Positive(value) },
                    "--connections" => options with { Connections = List(value) },
                    "--depths" => options with { Depths = List(value) },
                    "--agent" => options with { AgentAssembly = Path.GetFullPath(value) },
                    "--device" => options with { DeviceFile = Path.GetFullPath(value) },
                    _ => throw new FormatException($"unknown option {args[i - 1]}"),
                };
            }
            catch (FormatException e)
            {
                return (null, e.Message);
            }
        }
        return (options, null);
    }

    private static TimeSpan Seconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"not a number of seconds: {value}");

    private static int Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"not a positive integer: {value}");

    private static List<int> List(string value) => value.Split(',').Select(Positive).ToList();
}
