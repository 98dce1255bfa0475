using UpsAgent.Core.State;

namespace UpsAgent.Drivers;

/// <summary>
/// For drivers that read a device's whole set of values each poll: the first set is published whole
/// (with the commands), later ones as what changed and what went away, each poll marking the data fresh.
/// </summary>
internal sealed class PublishedValues(UpsStateWriter writer)
{
    private Dictionary<string, string> _last = new(StringComparer.OrdinalIgnoreCase);

    public bool EverPublished { get; private set; }

    /// <summary>Whether the last poll failed (set by <see cref="Fail"/>, cleared by <see cref="Publish"/>).</summary>
    public bool Failing { get; private set; }

    /// <summary>
    /// A poll failed: the data turns stale (once there is any). True on the first failure after good
    /// polls, so a driver logs an outage once rather than every poll.
    /// </summary>
    public bool Fail()
    {
        if (EverPublished)
        {
            writer.MarkStale();
        }

        bool first = !Failing;
        Failing = true;
        return first;
    }

    /// <summary>The value last published under a name, if any.</summary>
    public string? this[string name] => _last.GetValueOrDefault(name);

    /// <summary>Forgets what was published, so the next <see cref="Publish"/> writes every definition again.</summary>
    public void Forget() => _last = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Publishes <paramref name="next"/>; <paramref name="define"/> turns a name and value into its definition (flags, enums, ranges).</summary>
    /// <returns>True when this poll ends a run of failed ones.</returns>
    public bool Publish(IReadOnlyDictionary<string, string> next, IEnumerable<string> commands, Func<string, string, UpsVariable>? define = null)
    {
        define ??= static (name, value) => new UpsVariable(name, value);
        if (!EverPublished)
        {
            writer.Publish(next.Select(p => define(p.Key, p.Value)), commands);
            EverPublished = true;
        }
        else
        {
            var changed = next.Where(p => !_last.TryGetValue(p.Key, out string? old) || old != p.Value)
                .Select(p => define(p.Key, p.Value))
                .ToList();
            if (changed.Count > 0)
            {
                writer.Define(changed);
            }

            foreach (string gone in _last.Keys.Where(k => !next.ContainsKey(k)))
            {
                writer.Remove(gone);
            }

            writer.MarkFresh();
        }

        _last = new Dictionary<string, string>(next, StringComparer.OrdinalIgnoreCase);
        bool recovered = Failing;
        Failing = false;
        return recovered;
    }
}
