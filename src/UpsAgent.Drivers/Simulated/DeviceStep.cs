namespace UpsAgent.Drivers.Simulated;

/// <summary>One instruction of a dummy-ups definition file, with the line it starts on.</summary>
public abstract record DeviceStep(int LineNumber);
