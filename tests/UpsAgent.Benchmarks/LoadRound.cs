using System.Diagnostics;

namespace UpsAgent.Benchmarks;

/// <summary>One timed round of closed-loop load against one server at one level.</summary>
public static class LoadRound
{
    public static async Task<RoundResult> RunAsync(int port, int serverPid, string request, LoadLevel level, TimeSpan duration)
    {
        var connections = new List<LoadConnection>(level.Connections);
        try
        {
            for (var i = 0; i < level.Connections; i++)
            {
                connections.Add(await LoadConnection.ConnectAsync(port, request, level.Depth));
            }

            // A stalled server must not hang the benchmark: abort well after the window.
            using var abort = new CancellationTokenSource(duration + TimeSpan.FromSeconds(15));
            var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var serverCpuBefore = ProcStat.CpuTicks(serverPid);
            var start = Stopwatch.GetTimestamp();
            var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var errors = 0L;
            try
            {
                await Task.WhenAll(connections.Select(c => c.RunAsync(stopAt, abort.Token)));
            }
            catch (OperationCanceledException)
            {
                errors++;
            }
            var serverCpu = ProcStat.CpuTicks(serverPid) - serverCpuBefore;
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;

            var latency = new LatencyHistogram();
            foreach (var connection in connections)
            {
                latency.Add(connection.Latency);
            }
            return new RoundResult(latency, connections.Sum(c => c.Completed), connections.Sum(c => c.Received),
                errors + connections.Sum(c => c.Errors), duration, serverCpu, clientCpu);
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }
}
