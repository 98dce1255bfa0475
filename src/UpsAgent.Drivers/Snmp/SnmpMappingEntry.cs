using System.Collections.Frozen;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// One row of a MIB-to-NUT table: the object, the NUT variable and how to convert. When several
/// rows name one variable the first with a usable value wins, so the precise object comes first
/// (PowerNet's upsHighPrec* before upsAdv*, as NUT's SU_FLAG_UNIQUE does).
/// </summary>
public sealed record SnmpMappingEntry(string Variable, ObjectIdentifier? Object, SnmpMappingKind Kind)
{
    public double Scale { get; init; } = 1;

    /// <summary>Negative values mean "not available" for this object (NUT's SU_FLAG_NEGINVALID).</summary>
    public bool NegativeInvalid { get; init; }

    public FrozenDictionary<long, string> Table { get; init; } = FrozenDictionary<long, string>.Empty;

    /// <summary>
    /// A status row counts only while this object is absent or holds <see cref="OnlyWhileValue"/>
    /// (upsTestId tokens only while upsTestResultsSummary says inProgress).
    /// </summary>
    public ObjectIdentifier? OnlyWhileObject { get; init; }

    public long OnlyWhileValue { get; init; }

    /// <summary>For <see cref="SnmpMappingKind.Constant"/>.</summary>
    public string? Value { get; init; }

    public static SnmpMappingEntry Number(string variable, string oid, double scale = 1, bool negativeInvalid = false) =>
        new(variable, ObjectIdentifier.Parse(oid), SnmpMappingKind.Number) { Scale = scale, NegativeInvalid = negativeInvalid };

    public static SnmpMappingEntry Text(string variable, string oid) =>
        new(variable, ObjectIdentifier.Parse(oid), SnmpMappingKind.Text);

    public static SnmpMappingEntry Lookup(string variable, string oid, params (long Value, string Text)[] table) =>
        new(variable, ObjectIdentifier.Parse(oid), SnmpMappingKind.Lookup) { Table = ToTable(table) };

    public static SnmpMappingEntry Status(string oid, params (long Value, string Tokens)[] table) =>
        new("ups.status", ObjectIdentifier.Parse(oid), SnmpMappingKind.Status) { Table = ToTable(table) };

    public static SnmpMappingEntry StatusFromLastArc(string oid, params (long Value, string Tokens)[] table) =>
        new("ups.status", ObjectIdentifier.Parse(oid), SnmpMappingKind.StatusFromLastArc) { Table = ToTable(table) };

    public static SnmpMappingEntry Constant(string variable, string value) =>
        new(variable, null, SnmpMappingKind.Constant) { Value = value };

    private static FrozenDictionary<long, string> ToTable((long Value, string Text)[] table) =>
        table.ToFrozenDictionary(t => t.Value, t => t.Text);
}
