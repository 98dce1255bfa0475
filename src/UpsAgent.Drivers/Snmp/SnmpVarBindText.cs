using System.Globalization;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>Varbinds as net-snmp's tools print them with -On: ".OID = TYPE: value".</summary>
public static class SnmpVarBindText
{
    public static string Format(VarBind varBind) => $".{varBind.Name} = {Value(varBind.Value)}";

    public static string Value(SnmpValue value) => value.Type switch
    {
        SnmpType.Integer => "INTEGER: " + value.Number.ToString(CultureInfo.InvariantCulture),
        SnmpType.OctetString => Printable(value.Octets ?? []) is { } text ? $"STRING: \"{text}\"" : "Hex-STRING: " + Convert.ToHexString(value.Octets ?? []),
        SnmpType.ObjectIdentifier => "OID: ." + value.Oid,
        SnmpType.IpAddress => "IpAddress: " + string.Join('.', value.Octets ?? []),
        SnmpType.Counter32 => "Counter32: " + value.Unsigned.ToString(CultureInfo.InvariantCulture),
        SnmpType.Gauge32 => "Gauge32: " + value.Unsigned.ToString(CultureInfo.InvariantCulture),
        SnmpType.TimeTicks => $"Timeticks: ({value.Unsigned.ToString(CultureInfo.InvariantCulture)}) {Ticks(value.Unsigned)}",
        SnmpType.Counter64 => "Counter64: " + value.Unsigned.ToString(CultureInfo.InvariantCulture),
        SnmpType.Opaque => "Opaque: " + Convert.ToHexString(value.Octets ?? []),
        SnmpType.Null => "NULL",
        SnmpType.NoSuchObject => "No Such Object available on this agent at this OID",
        SnmpType.NoSuchInstance => "No Such Instance currently exists at this OID",
        SnmpType.EndOfMibView => "No more variables left in this MIB View (It is past the end of the MIB tree)",
        _ => value.ToString(),
    };

    private static string? Printable(byte[] octets)
    {
        foreach (byte b in octets)
        {
            if (b is < 0x20 or >= 0x7F && b is not ((byte)'\r' or (byte)'\n' or (byte)'\t'))
            {
                return null;
            }
        }

        return System.Text.Encoding.ASCII.GetString(octets).Replace("\"", "\\\"", StringComparison.Ordinal);
    }

    /// <summary>TimeTicks as net-snmp shows them: d:hh:mm:ss.cc, days first only when there are any.</summary>
    private static string Ticks(ulong ticks)
    {
        var span = TimeSpan.FromMilliseconds(ticks * 10.0);
        string clock = string.Create(CultureInfo.InvariantCulture, $"{span.Hours}:{span.Minutes:00}:{span.Seconds:00}.{span.Milliseconds / 10:00}");
        return span.Days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.Days} day{(span.Days == 1 ? "" : "s")}, {clock}") : clock;
    }
}
