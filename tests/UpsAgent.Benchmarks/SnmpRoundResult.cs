namespace UpsAgent.Benchmarks;

/// <summary>One measured round against one agent: operations (GETs or whole walks), objects returned, window, server CPU.</summary>
public sealed record SnmpRoundResult(long Operations, long Objects, double Seconds, long ServerCpuTicks, long Errors, LatencyHistogram Latency);
