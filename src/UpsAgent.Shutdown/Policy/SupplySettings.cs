namespace UpsAgent.Shutdown.Policy;

/// <summary>One UPS feeding this host: upsmon's "MONITOR ups powervalue user pass role".</summary>
public sealed record SupplySettings(string Name, int PowerValue, MonitorRole Role);
