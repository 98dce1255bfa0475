namespace UpsAgent.TestKit.Peers;

/// <summary>One UPS served from a device file (.dev dump or .seq sequence with TIMER steps).</summary>
public sealed record SimulatedUps(string Name, string Description, string DeviceFile, DevicePlayMode Mode = DevicePlayMode.Once);
