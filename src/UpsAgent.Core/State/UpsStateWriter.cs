namespace UpsAgent.Core.State;

/// <summary>
/// The only way to change a UPS's data. Held by its driver; every call publishes one new snapshot.
/// </summary>
public sealed class UpsStateWriter
{
    private readonly UpsStateStore _store;

    internal UpsStateWriter(UpsStateStore store) => _store = store;

    public UpsState Current => _store.Current;

    /// <summary>Replaces all variables and commands at once (a driver's full dump) and marks data fresh.</summary>
    public void Publish(IEnumerable<UpsVariable> variables, IEnumerable<string> commands) =>
        _store.Replace(s => _store.With(s, variables.ToList(), commands.ToList(), UpsDataState.Fresh));

    /// <summary>Sets several values at once, keeping each variable's flags; unknown names are added as read-only numbers/strings.</summary>
    public void SetValues(IEnumerable<KeyValuePair<string, string>> values) =>
        _store.Replace(s =>
        {
            var byName = s.Variables.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
            bool changed = false;
            foreach ((string name, string value) in values)
            {
                if (byName.TryGetValue(name, out UpsVariable? existing))
                {
                    if (existing.Value != value)
                    {
                        byName[name] = existing with { Value = value };
                        changed = true;
                    }
                }
                else
                {
                    byName[name] = new UpsVariable(name, value);
                    changed = true;
                }
            }

            return changed ? _store.With(s, byName.Values) : null;
        });

    public void SetValue(string name, string value) =>
        SetValues([new KeyValuePair<string, string>(name, value)]);

    /// <summary>Adds or replaces whole variable definitions (value plus flags, enum and range lists).</summary>
    public void Define(IEnumerable<UpsVariable> definitions) =>
        _store.Replace(s =>
        {
            var byName = s.Variables.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
            foreach (UpsVariable definition in definitions)
            {
                byName[definition.Name] = definition;
            }

            return _store.With(s, byName.Values);
        });

    public void Remove(string name) =>
        _store.Replace(s => s.Find(name) is null
            ? null
            : _store.With(s, s.Variables.Where(v => !string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))));

    public void SetCommands(IEnumerable<string> commands) =>
        _store.Replace(s => _store.With(s, commands: commands.ToList()));

    public void SetDescription(string description) =>
        _store.Replace(s => s.Description == description ? null : _store.With(s, description: description));

    /// <summary>The device stopped answering; readers get DATA-STALE until the next fresh data.</summary>
    public void MarkStale() =>
        _store.Replace(s => s.DataState == UpsDataState.Stale ? null : _store.With(s, dataState: UpsDataState.Stale));

    public void MarkFresh() =>
        _store.Replace(s => s.DataState == UpsDataState.Fresh ? null : _store.With(s, dataState: UpsDataState.Fresh));

    /// <summary>The driver is gone (stopped or crashed); readers get DRIVER-NOT-CONNECTED.</summary>
    public void MarkDisconnected() =>
        _store.Replace(s => s.DataState == UpsDataState.NotConnected ? null : _store.With(s, dataState: UpsDataState.NotConnected));
}
