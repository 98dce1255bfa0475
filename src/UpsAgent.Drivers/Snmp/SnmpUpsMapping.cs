using System.Globalization;
using System.Text;
using UpsAgent.Core.Names;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// A MIB's table of objects to NUT variables, and the pure conversion of one poll's values into
/// variables: no I/O, so every unit and status rule is tested on plain dictionaries.
/// </summary>
public sealed class SnmpUpsMapping
{
    public SnmpUpsMapping(string name, string description, ObjectIdentifier modelObject, IReadOnlyList<SnmpMappingEntry> entries)
    {
        Name = name;
        Description = description;
        ModelObject = modelObject;
        Entries = entries;
        Objects = entries
            .SelectMany(e => new[] { e.Object, e.OnlyWhileObject })
            .OfType<ObjectIdentifier>()
            .Distinct()
            .ToList();
    }

    /// <summary>The name in <c>mibs =</c> (NUT's mapping name).</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>The object whose presence confirms the MIB (NUT probes the model object too).</summary>
    public ObjectIdentifier ModelObject { get; }

    public IReadOnlyList<SnmpMappingEntry> Entries { get; }

    /// <summary>Every object one poll asks for, each once, in table order.</summary>
    public IReadOnlyList<ObjectIdentifier> Objects { get; }

    /// <summary>
    /// NUT variables from one poll's values, in table order; ups.status is built from every status
    /// row's tokens in row order, without repeats, and left out when no row gave a token.
    /// </summary>
    public List<KeyValuePair<string, string>> Map(IReadOnlyDictionary<ObjectIdentifier, SnmpValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var variables = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var status = new List<string>();
        foreach (SnmpMappingEntry entry in Entries)
        {
            if (entry.Kind is SnmpMappingKind.Status or SnmpMappingKind.StatusFromLastArc)
            {
                AddStatus(entry, values, status);
                continue;
            }

            if (seen.Contains(entry.Variable) || Convert(entry, values) is not { } text)
            {
                continue;
            }

            seen.Add(entry.Variable);
            variables.Add(new(entry.Variable, text));
        }

        if (status.Count > 0)
        {
            variables.Insert(0, new(NutNames.UpsStatus, string.Join(' ', status)));
        }

        return variables;
    }

    private static void AddStatus(SnmpMappingEntry entry, IReadOnlyDictionary<ObjectIdentifier, SnmpValue> values, List<string> status)
    {
        if (!values.TryGetValue(entry.Object!, out SnmpValue value))
        {
            return;
        }

        if (entry.OnlyWhileObject is { } condition
            && values.TryGetValue(condition, out SnmpValue guard)
            && (Integer(guard) is not { } guardValue || guardValue != entry.OnlyWhileValue))
        {
            return;
        }

        long? key = entry.Kind == SnmpMappingKind.StatusFromLastArc
            ? value.Oid is { Length: > 0 } oid ? oid[oid.Length - 1] : null
            : Integer(value);
        if (key is { } k && entry.Table.TryGetValue(k, out string? tokens))
        {
            foreach (string token in tokens.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!status.Contains(token))
                {
                    status.Add(token);
                }
            }
        }
    }

    private static string? Convert(SnmpMappingEntry entry, IReadOnlyDictionary<ObjectIdentifier, SnmpValue> values)
    {
        if (entry.Kind == SnmpMappingKind.Constant)
        {
            return entry.Value;
        }

        if (!values.TryGetValue(entry.Object!, out SnmpValue value))
        {
            return null;
        }

        switch (entry.Kind)
        {
            case SnmpMappingKind.Text:
                return Text(value);
            case SnmpMappingKind.Lookup:
                return Integer(value) is { } key && entry.Table.TryGetValue(key, out string? text) ? text : null;
            default:
                if (Number(value) is not { } number || (entry.NegativeInvalid && number < 0))
                {
                    return null;
                }

                // TimeTicks carry their own unit (hundredths of a second, RFC 2578 section 7.1.8):
                // seconds, never scaled again (NUT 2.8.0 multiplies APC's delays by 3 this way).
                double scaled = value.Type == SnmpType.TimeTicks ? number / 100.0 : number * entry.Scale;
                return FormatNumber(scaled);
        }
    }

    /// <summary>As NUT's snmp-ups prints numbers: whole values without decimals, others with two.</summary>
    public static string FormatNumber(double value)
    {
        double rounded = Math.Round(value);
        return Math.Abs(value - rounded) < 1e-9 && Math.Abs(rounded) < 1e15
            ? ((long)rounded).ToString(CultureInfo.InvariantCulture)
            : value.ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>The numeric reading of a value; a DisplayString holding a number counts too (some cards send those).</summary>
    public static double? Number(SnmpValue value) => value.Type switch
    {
        SnmpType.Integer => value.Number,
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 => value.Unsigned,
        SnmpType.OctetString when double.TryParse(Text(value), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            && double.IsFinite(parsed) => parsed,
        _ => null,
    };

    private static long? Integer(SnmpValue value) => Number(value) is { } number && number == Math.Floor(number) ? (long)number : null;

    /// <summary>A value as text: DisplayStrings without trailing NULs or blanks (cards pad them) and with non-ASCII replaced.</summary>
    public static string? Text(SnmpValue value)
    {
        switch (value.Type)
        {
            case SnmpType.OctetString:
                var text = new StringBuilder((value.Octets ?? []).Length);
                foreach (byte b in value.Octets ?? [])
                {
                    text.Append(b is >= 0x20 and < 0x7F ? (char)b : b is (byte)'\t' ? ' ' : b == 0 ? '\0' : '?');
                }

                return text.ToString().TrimEnd('\0', ' ').Replace("\0", string.Empty, StringComparison.Ordinal);
            case SnmpType.ObjectIdentifier:
                return value.Oid?.ToString();
            case SnmpType.IpAddress:
                return string.Join('.', value.Octets ?? []);
            default:
                return Number(value) is { } number ? FormatNumber(number) : null;
        }
    }
}
