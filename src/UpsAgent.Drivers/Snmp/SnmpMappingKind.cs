namespace UpsAgent.Drivers.Snmp;

/// <summary>How one object's value becomes a NUT variable (or ups.status tokens).</summary>
public enum SnmpMappingKind
{
    /// <summary>A number times the entry's scale; TimeTicks become seconds whatever the scale.</summary>
    Number,

    /// <summary>A DisplayString as it is.</summary>
    Text,

    /// <summary>An enumerated INTEGER looked up in the entry's table (NUT's info_lkp).</summary>
    Lookup,

    /// <summary>An enumerated INTEGER looked up to ups.status tokens.</summary>
    Status,

    /// <summary>An OBJECT IDENTIFIER whose last arc is looked up to ups.status tokens (upsTestId).</summary>
    StatusFromLastArc,

    /// <summary>A fixed value, asked of nobody (NUT's entries without an OID: APC's ups.mfr).</summary>
    Constant,
}
