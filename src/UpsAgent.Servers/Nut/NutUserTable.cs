using System.Collections.Frozen;

namespace UpsAgent.Servers.Nut;

/// <summary>The users of upsd.users, looked up by exact (case-sensitive) name as upsd does.</summary>
public sealed class NutUserTable
{
    private readonly FrozenDictionary<string, NutUser> _byName;

    /// <summary>Later duplicates of a name are ignored, as upsd ignores duplicate sections.</summary>
    public NutUserTable(IEnumerable<NutUser> users)
    {
        var byName = new Dictionary<string, NutUser>(StringComparer.Ordinal);
        foreach (NutUser user in users)
        {
            byName.TryAdd(user.Name, user);
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static NutUserTable Empty { get; } = new([]);

    public int Count => _byName.Count;

    public IEnumerable<NutUser> Users => _byName.Values;

    public NutUser? Find(string name) => _byName.GetValueOrDefault(name);
}
