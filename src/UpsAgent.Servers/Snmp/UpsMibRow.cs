using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// One line of <see cref="UpsMibMap"/>: an RFC 1628 object, its instance index, the NUT variable it
/// comes from and the conversion into the MIB's units (and, for writable objects, back). <see cref="Read"/> answers null when the
/// state has no value, and the instance is then absent. Live rows are read again on every request.
/// </summary>
public sealed record UpsMibRow(string Name, ObjectIdentifier Object, uint Index, string NutName, Func<UpsMibContext, SnmpValue?> Read, bool Live = false)
{
    public ObjectIdentifier Instance { get; } = Object.Append(Index);

    /// <summary>What a SET means for the UPS; null for read-only objects (notWritable).</summary>
    public Func<SnmpValue, UpsMibWrite>? Write { get; init; }
}
