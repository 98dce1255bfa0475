using System.Globalization;

namespace UpsAgent.Benchmarks;

/// <summary>Command line of <c>upsagent-bench iso</c>.</summary>
public sealed record IsoBenchOptions(int Rounds, string WorkDirectory, long BigBytes, int SmallFiles, string? AgentAssembly, bool Keep)
{
    public const string Usage = """
        usage: upsagent-bench iso [options]
          --rounds N      measured rounds per tool and tree, alternating the tools (default 3)
          --dir PATH      where the trees and images go (default /dev/shm/upsagent-isobench; tmpfs keeps it warm)
          --big-mib N     total size of the large files (default 1024)
          --small N       number of 1-8 KiB files (default 5000)
          --agent PATH    upsagent.dll, or a native upsagent from PublishAot, to measure
                          (default src/UpsAgent/bin/Release/net10.0/upsagent.dll)
          --keep          keep the generated trees for the next run
        """;

    public static (IsoBenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new IsoBenchOptions(3, "/dev/shm/upsagent-isobench", 1L << 30, 5000, null, false);
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--keep")
            {
                options = options with { Keep = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{args[i]} needs a value");
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { Rounds = n };
                    break;
                case "--dir":
                    options = options with { WorkDirectory = Path.GetFullPath(value) };
                    break;
                case "--big-mib" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { BigBytes = n << 20 };
                    break;
                case "--small" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { SmallFiles = n };
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
