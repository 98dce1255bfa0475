using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// Instances sorted in OID order (RFC 3416 section 4.2.2: lexicographic by arc, prefix first), so
/// Get is a binary search and GetNext is the first instance after the requested name.
/// </summary>
public sealed class MibTree
{
    private readonly MibEntry[] _entries;
    private readonly ObjectIdentifier[] _objects;

    /// <param name="entries">Every readable instance.</param>
    /// <param name="emptyObjects">Objects that exist with no instance now (an empty table's columns): reads of them are noSuchInstance.</param>
    public MibTree(IEnumerable<MibEntry> entries, IEnumerable<ObjectIdentifier>? emptyObjects = null)
    {
        _entries = entries.OrderBy(e => e.Instance).ToArray();
        for (int i = 1; i < _entries.Length; i++)
        {
            if (_entries[i].Instance.Equals(_entries[i - 1].Instance))
            {
                throw new ArgumentException($"instance {_entries[i].Instance} is registered twice", nameof(entries));
            }
        }

        _objects = _entries.Select(e => e.Object).Concat(emptyObjects ?? []).Distinct().ToArray();
    }

    public int Count => _entries.Length;

    public IReadOnlyList<MibEntry> Entries => _entries;

    /// <summary>The instance itself, or null.</summary>
    public MibEntry? Find(ObjectIdentifier name)
    {
        int index = Array.BinarySearch(_entries, name, EntryComparer.Instance);
        return index >= 0 ? _entries[index] : null;
    }

    /// <summary>The value, or noSuchInstance when the object exists without that instance, else noSuchObject.</summary>
    public SnmpValue Get(ObjectIdentifier name)
    {
        int index = Array.BinarySearch(_entries, name, EntryComparer.Instance);
        if (index >= 0)
        {
            return _entries[index].Read();
        }

        foreach (ObjectIdentifier candidate in _objects)
        {
            if (name.Length > candidate.Length && name.StartsWith(candidate))
            {
                return SnmpValue.NoSuchInstance;
            }
        }

        return SnmpValue.NoSuchObject;
    }

    /// <summary>The first instance after <paramref name="name"/> whose value <paramref name="accept"/> takes, or null at the end of the view.</summary>
    public VarBind? GetNext(ObjectIdentifier name, Func<SnmpValue, bool>? accept = null)
    {
        int index = Array.BinarySearch(_entries, name, EntryComparer.Instance);
        index = index >= 0 ? index + 1 : ~index;
        for (; index < _entries.Length; index++)
        {
            SnmpValue value = _entries[index].Read();
            if (accept is null || accept(value))
            {
                return new VarBind(_entries[index].Instance, value);
            }
        }

        return null;
    }

    private sealed class EntryComparer : System.Collections.IComparer
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(object? x, object? y) =>
            ObjectIdentifier.Compare(Arcs(x), Arcs(y));

        private static ReadOnlySpan<uint> Arcs(object? item) => item switch
        {
            MibEntry entry => entry.Instance.Arcs,
            ObjectIdentifier oid => oid.Arcs,
            _ => [],
        };
    }
}
