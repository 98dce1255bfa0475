namespace UpsAgent.Drivers.Simulated;

public sealed record SimulatedDriverOptions
{
    /// <summary>The .dev/.seq text to play: <see cref="SimulatedDevices"/> or <see cref="DeviceDefinition.FromFile"/>.</summary>
    public required DeviceDefinition Definition { get; init; }

    /// <summary>Loop or play once; null takes dummy-ups' default from the file name (.seq loops).</summary>
    public SequenceMode? Mode { get; init; }

    /// <summary>
    /// How many device seconds pass per real second: 10 plays TIMER 5 in half a second. Applies to
    /// every simulated duration (TIMER lines, shutdown and start delays, tests) so they stay in step.
    /// </summary>
    public double Speed { get; init; } = 1.0;
}
