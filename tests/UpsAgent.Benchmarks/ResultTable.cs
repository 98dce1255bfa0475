using System.Globalization;
using System.Text;

namespace UpsAgent.Benchmarks;

/// <summary>The comparison as a Markdown table, ready for the README.</summary>
public static class ResultTable
{
    public static string Render(IReadOnlyList<(LoadLevel Level, LevelResult Upsd, LevelResult Agent)> rows)
    {
        var table = new StringBuilder()
            .AppendLine("| level | server | req/s | p50 µs | p99 µs | server CPU µs/req | server CPU % | client CPU % | errors |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (level, upsd, agent) in rows)
        {
            Row(table, level.ToString(), "upsd 2.8.0", upsd);
            Row(table, "", "upsagent", agent);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| | **ours/upsd** | **{Ratio(agent.RequestsPerSecond, upsd.RequestsPerSecond)}** | {Ratio(P(agent, 0.5), P(upsd, 0.5))} | {Ratio(P(agent, 0.99), P(upsd, 0.99))} | **{Ratio(agent.ServerCpuMicrosecondsPerRequest, upsd.ServerCpuMicrosecondsPerRequest)}** | | | |");
        }
        return table.ToString();
    }

    private static void Row(StringBuilder table, string level, string server, LevelResult r) =>
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {level} | {server} | {r.RequestsPerSecond:N0} | {P(r, 0.5):N0} | {P(r, 0.99):N0} | {r.ServerCpuMicrosecondsPerRequest:N1} | {r.ServerCpuPercent:N0} | {r.ClientCpuPercent:N0} | {r.Errors} |");

    /// <summary>A latency percentile in microseconds.</summary>
    public static double P(LevelResult r, double fraction) =>
        r.Latency.Percentile(fraction) * 1e6 / System.Diagnostics.Stopwatch.Frequency;

    private static string Ratio(double ours, double theirs) =>
        theirs > 0 && !double.IsNaN(ours) ? (ours / theirs).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";
}
