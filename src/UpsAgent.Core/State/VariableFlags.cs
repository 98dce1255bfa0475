namespace UpsAgent.Core.State;

/// <summary>NUT's driver-side variable flags (docs/net-protocol.txt, GET TYPE).</summary>
[Flags]
public enum VariableFlags
{
    None = 0,
    ReadWrite = 1,
    String = 2,
    Number = 4,
    Immutable = 8,
}
