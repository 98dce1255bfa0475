namespace UpsAgent.Core.State;

/// <summary>One integer interval accepted by a RANGE variable (NUT's ADDRANGE).</summary>
public readonly record struct ValueRange(int Minimum, int Maximum)
{
    public bool Contains(int value) => value >= Minimum && value <= Maximum;
}
