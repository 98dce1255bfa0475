using System.Numerics;

namespace UpsAgent.Benchmarks;

/// <summary>
/// Log-linear histogram of durations in Stopwatch ticks: exact below 64 ticks, then 32 buckets per power of
/// two (at most ~3 % error). Recording is one array increment, so it can sit on the hot path.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 32;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public void Record(long ticks)
    {
        _counts[Index(Math.Max(ticks, 0))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
    }

    /// <summary>The duration (ticks) below which the given fraction of recorded values lie.</summary>
    public double Percentile(double fraction)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Midpoint(i);
            }
        }
        return Midpoint(_counts.Length - 1);
    }

    private static int Index(long value)
    {
        if (value < 2 * SubBuckets)
        {
            return (int)value;
        }
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - 5;
        return ((shift + 1) * SubBuckets) + (int)((value >> shift) & (SubBuckets - 1));
    }

    private static double Midpoint(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return index;
        }
        var shift = (index / SubBuckets) - 1;
        var low = (long)(SubBuckets + (index % SubBuckets)) << shift;
        return low + ((1L << shift) / 2.0);
    }
}
