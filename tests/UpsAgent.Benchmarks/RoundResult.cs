namespace UpsAgent.Benchmarks;

public sealed record RoundResult(LatencyHistogram Latency, long Completed, long Received, long Errors, TimeSpan Elapsed,
    long ServerCpuTicks, TimeSpan ClientCpu);
