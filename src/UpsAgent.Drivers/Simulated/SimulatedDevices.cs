using System.Collections.Immutable;
using System.Reflection;

namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// The definition files shipped in hw/devices/, embedded in this assembly so the agent has a
/// default UPS without any file on disk.
/// </summary>
public static class SimulatedDevices
{
    public const string OnlineName = "online.dev";
    public const string OutageName = "outage.seq";

    private const string ResourcePrefix = "UpsAgent.Drivers.Simulated.Devices.";

    /// <summary>A 230 V 1500 VA line-interactive UPS on mains, charging; no TIMER lines.</summary>
    public static DeviceDefinition Online => Load(OnlineName);

    /// <summary>The same UPS losing mains: OL CHRG, then OB DISCHRG with falling charge, then OB LB DISCHRG (30 s per pass).</summary>
    public static DeviceDefinition Outage => Load(OutageName);

    public static ImmutableArray<string> Names { get; } = [OnlineName, OutageName];

    /// <summary>Finds a shipped definition by file name, with or without its extension ("outage", "outage.seq").</summary>
    public static DeviceDefinition? Find(string name)
    {
        foreach (string candidate in Names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(Path.GetFileNameWithoutExtension(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                return Load(candidate);
            }
        }

        return null;
    }

    private static DeviceDefinition Load(string fileName)
    {
        Assembly assembly = typeof(SimulatedDevices).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException($"Embedded device file '{fileName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return new DeviceDefinition(fileName, reader.ReadToEnd());
    }
}
