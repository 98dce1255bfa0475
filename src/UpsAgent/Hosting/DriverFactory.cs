using System.Globalization;
using Microsoft.Extensions.Logging;
using UpsAgent.Configuration;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers;
using UpsAgent.Drivers.Gpio;
using UpsAgent.Drivers.I2c;
using UpsAgent.Drivers.Nut;
using UpsAgent.Drivers.Simulated;
using UpsAgent.Drivers.Snmp;

namespace UpsAgent.Hosting;

/// <summary>Builds the driver a [ups NAME] section asks for, checking its keys against that driver.</summary>
public static class DriverFactory
{
    private static readonly string[] CommonKeys = ["driver", "description"];

    private static readonly string[] SimulatedKeys = ["file", "mode", "speed"];

    public static IReadOnlyList<string> DriverNames { get; } = [SimulatedDriver.DriverName, SnmpDriver.DriverName, NutDriver.DriverName, GpioUpsDriver.DriverName, I2cUpsDriver.DriverName];

    /// <summary>Checks every UPS section without starting anything (used by "upsagent check").</summary>
    public static void Validate(AgentConfig config)
    {
        foreach (UpsSettings ups in config.Ups)
        {
            if (ups.Driver == SnmpDriver.DriverName)
            {
                _ = SnmpDriverConfigReader.Read(ups, CommonKeys);
                continue;
            }

            if (ups.Driver == NutDriver.DriverName)
            {
                _ = NutDriverConfigReader.Read(ups, CommonKeys);
                continue;
            }

            if (ups.Driver == GpioUpsDriver.DriverName)
            {
                _ = GpioDriverConfigReader.Read(ups, CommonKeys);
                continue;
            }

            if (ups.Driver == I2cUpsDriver.DriverName)
            {
                _ = I2cDriverConfigReader.Read(ups, CommonKeys);
                continue;
            }

            _ = SimulatedOptions(ups);
        }
    }

    public static IUpsDriver Create(UpsSettings ups, UpsStateWriter writer, IClock clock, ILogger logger) =>
        ups.Driver switch
        {
            SimulatedDriver.DriverName => CreateSimulated(ups, writer, clock, logger),
            SnmpDriver.DriverName => new SnmpDriver(writer, SnmpDriverConfigReader.Read(ups, CommonKeys), clock, logger),
            NutDriver.DriverName => new NutDriver(writer, NutDriverConfigReader.Read(ups, CommonKeys), clock, logger),
            GpioUpsDriver.DriverName => new GpioUpsDriver(writer, GpioDriverConfigReader.Read(ups, CommonKeys), logger),
            I2cUpsDriver.DriverName => new I2cUpsDriver(writer, I2cDriverConfigReader.Read(ups, CommonKeys), clock, logger),
            _ => throw UnknownDriver(ups),
        };

    private static IUpsDriver CreateSimulated(UpsSettings ups, UpsStateWriter writer, IClock clock, ILogger logger)
    {
        SimulatedDriverOptions options = SimulatedOptions(ups);
        try
        {
            return new SimulatedDriver(writer, options, clock, logger);
        }
        catch (DeviceScriptException e)
        {
            ConfigEntry? file = ups.Section.Entries.LastOrDefault(x => x.Key == "file");
            throw file?.Error(e.Message) ?? ups.Section.Error(e.Message);
        }
    }

    private static SimulatedDriverOptions SimulatedOptions(UpsSettings ups)
    {
        if (ups.Driver != SimulatedDriver.DriverName)
        {
            throw UnknownDriver(ups);
        }

        DeviceDefinition definition = SimulatedDevices.Online;
        SequenceMode? mode = null;
        double speed = 1.0;
        foreach (ConfigEntry e in ups.Section.Entries)
        {
            switch (e.Key)
            {
                case "file":
                    definition = LoadDefinition(e);
                    break;
                case "mode":
                    mode = e.Value.ToLowerInvariant() switch
                    {
                        "loop" => SequenceMode.Loop,
                        "once" => SequenceMode.Once,
                        _ => throw e.Error($"'{e.Value}' is not loop or once"),
                    };
                    break;
                case "speed":
                    if (!double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out speed) || !(speed > 0) || speed > 10_000)
                    {
                        throw e.Error($"'{e.Value}' is not a speed factor between 0 and 10000 (1 = real time)");
                    }

                    break;
                default:
                    if (!CommonKeys.Contains(e.Key))
                    {
                        throw e.Error($"unknown key for driver 'simulated'; expected {string.Join(", ", CommonKeys.Concat(SimulatedKeys))}");
                    }

                    break;
            }
        }

        return new SimulatedDriverOptions { Definition = definition, Mode = mode, Speed = speed };
    }

    private static DeviceDefinition LoadDefinition(ConfigEntry e)
    {
        if (e.Value.StartsWith("builtin:", StringComparison.Ordinal))
        {
            string name = e.Value["builtin:".Length..];
            return SimulatedDevices.Find(name)
                ?? throw e.Error($"no built-in device '{name}'; built-in: {string.Join(", ", SimulatedDevices.Names.Select(n => "builtin:" + Path.GetFileNameWithoutExtension(n)))}");
        }

        // Relative paths are relative to the configuration file, as admins expect from ups.conf-style files.
        string path = Path.IsPathRooted(e.Value) || e.File.StartsWith('-') || e.File.StartsWith('(')
            ? e.Value
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(e.File)) ?? ".", e.Value);
        try
        {
            DeviceDefinition definition = DeviceDefinition.FromFile(path);
            definition.Parse(); // report syntax errors at load time, with the file's own line numbers
            return definition;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DeviceScriptException)
        {
            throw e.Error(ex.Message);
        }
    }

    private static ConfigException UnknownDriver(UpsSettings ups)
    {
        ConfigEntry? entry = ups.Section.Entries.LastOrDefault(e => e.Key == "driver");
        string problem = $"unknown driver '{ups.Driver}'; available: {string.Join(", ", DriverNames)}";
        return entry?.Error(problem) ?? ups.Section.Error(problem);
    }
}
