namespace UpsAgent.Drivers.Snmp;

/// <summary>Retries and sizes of a manager's requests; the defaults are net-snmp's and NUT snmp-ups' (1 s, 5 retries).</summary>
public sealed record SnmpClientOptions
{
    /// <summary>How long one try waits for its answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Tries after the first one before giving up.</summary>
    public int Retries { get; init; } = 5;

    /// <summary>
    /// Objects asked for in one GET by <see cref="SnmpClient.ReadAsync"/>. Small enough that the
    /// answer fits the 484 octets every agent must handle (RFC 3417 section 3.2) for numbers and
    /// short strings; a tooBig answer splits the request further.
    /// </summary>
    public int MaxVarBindsPerGet { get; init; } = 16;

    /// <summary>max-repetitions of the GetBulk requests of a v2c/v3 walk (snmpbulkwalk's default is 10).</summary>
    public int MaxRepetitions { get; init; } = 25;
}
