namespace UpsAgent.Benchmarks;

/// <summary>How many connections, each with how many requests in flight.</summary>
public readonly record struct LoadLevel(int Connections, int Depth)
{
    public override string ToString() => $"{Connections} conn × {Depth}";
}
