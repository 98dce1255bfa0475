using System.Collections.Frozen;
using System.Collections.Immutable;
using UpsAgent.Core.Names;

namespace UpsAgent.Core.State;

/// <summary>
/// An immutable snapshot of one UPS. Readers take the current snapshot with one volatile read and
/// never lock; writers replace it whole (NUT's sstate is the same idea, kept per UPS in upsd).
/// </summary>
public sealed class UpsState
{
    private readonly FrozenDictionary<string, UpsVariable> _byName;
    private readonly FrozenSet<string> _commands;

    public UpsState(
        string name,
        string description,
        IEnumerable<UpsVariable> variables,
        IEnumerable<string> commands,
        UpsDataState dataState,
        bool forcedShutdown,
        long version,
        DateTimeOffset updatedAt)
    {
        Name = name;
        Description = description;
        Variables = variables
            .OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
            .ToImmutableArray();
        Commands = commands
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(c => c, StringComparer.OrdinalIgnoreCase)
            .ToImmutableArray();
        _byName = Variables.ToFrozenDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        _commands = Commands.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        DataState = dataState;
        ForcedShutdown = forcedShutdown;
        Version = version;
        UpdatedAt = updatedAt;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>All variables, sorted by name case-insensitively as upsd lists them.</summary>
    public ImmutableArray<UpsVariable> Variables { get; }

    /// <summary>Instant commands, sorted case-insensitively.</summary>
    public ImmutableArray<string> Commands { get; }

    public UpsDataState DataState { get; }

    /// <summary>The FSD latch: once set it stays until the agent restarts, as in upsd.</summary>
    public bool ForcedShutdown { get; }

    /// <summary>Increases with every change; lets subscribers skip snapshots they already saw.</summary>
    public long Version { get; }

    public DateTimeOffset UpdatedAt { get; }

    public bool IsUsable => DataState == UpsDataState.Fresh;

    public UpsVariable? Find(string name) => _byName.GetValueOrDefault(name);

    public string? GetValue(string name) => _byName.GetValueOrDefault(name)?.Value;

    public bool HasCommand(string name) => _commands.Contains(name);

    /// <summary>ups.status as clients see it: "FSD " in front while the latch is set, WAIT before data.</summary>
    public string StatusText
    {
        get
        {
            // upsd puts the latch in front of whatever it holds, its own WAIT included.
            string raw = DataState == UpsDataState.Waiting ? "WAIT" : GetValue(NutNames.UpsStatus) ?? string.Empty;
            return ForcedShutdown ? (raw.Length == 0 ? "FSD" : "FSD " + raw) : raw;
        }
    }

    public UpsStatus Status => UpsStatusTokens.Parse(StatusText);

    /// <summary>The value a client reads for a variable, with ups.status decorated as upsd does.</summary>
    public string? GetClientValue(UpsVariable variable) =>
        string.Equals(variable.Name, NutNames.UpsStatus, StringComparison.OrdinalIgnoreCase)
            ? StatusText
            : variable.Value;

    public double? GetNumber(string name) =>
        double.TryParse(GetValue(name), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double value)
            ? value
            : null;
}
