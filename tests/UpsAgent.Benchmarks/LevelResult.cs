namespace UpsAgent.Benchmarks;

/// <summary>Everything measured for one server at one level, summed over all its rounds.</summary>
public sealed class LevelResult
{
    public LatencyHistogram Latency { get; } = new();

    public long Completed { get; private set; }

    public long Received { get; private set; }

    public long Errors { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public long ServerCpuTicks { get; private set; }

    public TimeSpan ClientCpu { get; private set; }

    public int Rounds { get; private set; }

    public double RequestsPerSecond => Completed / Elapsed.TotalSeconds;

    public double ServerCpuMicrosecondsPerRequest => ProcStat.TicksToMicroseconds(ServerCpuTicks) / Math.Max(1, Received);

    /// <summary>Server CPU as a share of one core over the measured windows.</summary>
    public double ServerCpuPercent => 100 * ProcStat.TicksToMicroseconds(ServerCpuTicks) / 1e6 / Elapsed.TotalSeconds;

    public double ClientCpuPercent => 100 * ClientCpu.TotalSeconds / Elapsed.TotalSeconds;

    public void Add(RoundResult round)
    {
        Latency.Add(round.Latency);
        Completed += round.Completed;
        Received += round.Received;
        Errors += round.Errors;
        Elapsed += round.Elapsed;
        ServerCpuTicks += round.ServerCpuTicks;
        ClientCpu += round.ClientCpu;
        Rounds++;
    }
}
