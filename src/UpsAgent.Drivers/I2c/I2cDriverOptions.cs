namespace UpsAgent.Drivers.I2c;

/// <summary>What one <c>[ups NAME]</c> section with <c>driver = i2c</c> says.</summary>
public sealed record I2cDriverOptions
{
    /// <summary>ina219 or max17040.</summary>
    public required string Chip { get; init; }

    /// <summary>The bus in /dev/i2c-N.</summary>
    public int Bus { get; init; } = 1;

    public required int Address { get; init; }

    /// <summary>Battery voltage at 0 % and 100 %, for a charge estimate when the chip gives none.</summary>
    public double EmptyVolts { get; init; } = 6.0;

    public double FullVolts { get; init; } = 8.4;

    /// <summary>battery.charge.low: on battery at or below this charge the status gains LB.</summary>
    public int LowBatteryPercent { get; init; } = 20;

    /// <summary>A current below minus this counts as discharging, above it as charging.</summary>
    public double CurrentThresholdAmps { get; init; } = 0.05;

    /// <summary>A GPIO line saying whether mains power is lost (X728: GPIO6 high), on <see cref="GpioChip"/>.</summary>
    public int? PowerLine { get; init; }

    public bool PowerLostWhenHigh { get; init; } = true;

    public string GpioChip { get; init; } = "gpiochip0";

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public string? Manufacturer { get; init; }

    public string? Model { get; init; }
}
