using System.Collections.Frozen;
using System.Collections.Immutable;

namespace UpsAgent.Core.Commands;

/// <summary>The UPSes this agent serves, looked up by name case-insensitively as upsd does.</summary>
public sealed class UpsRegistry
{
    private readonly FrozenDictionary<string, UpsUnit> _byName;

    public UpsRegistry(IEnumerable<UpsUnit> units)
    {
        All = units.ToImmutableArray();
        var duplicates = All.GroupBy(u => u.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"UPS name '{duplicates[0].Key}' is configured twice.", nameof(units));
        }

        _byName = All.ToFrozenDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>In configuration order, which is the order LIST UPS uses.</summary>
    public ImmutableArray<UpsUnit> All { get; }

    public UpsUnit? Find(string name) => _byName.GetValueOrDefault(name);
}
