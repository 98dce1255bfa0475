using System.Globalization;
using System.Runtime.InteropServices;

namespace UpsAgent.Benchmarks;

/// <summary>CPU time and memory of another process, read from /proc (proc(5)).</summary>
public static class ProcStat
{
    private const int ScClkTck = 2;

    /// <summary>Clock ticks per second of utime/stime (sysconf(_SC_CLK_TCK), normally 100).</summary>
    public static long TicksPerSecond { get; } = Math.Max(1, SysConf(ScClkTck));

    /// <summary>utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks.</summary>
    public static long CpuTicks(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 (the command) is parenthesised and may contain spaces; count from the closing parenthesis.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    public static double TicksToMicroseconds(long ticks) => ticks * 1_000_000.0 / TicksPerSecond;

    /// <summary>A line of /proc/PID/status such as VmRSS or VmHWM, in KiB.</summary>
    public static long StatusKib(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
