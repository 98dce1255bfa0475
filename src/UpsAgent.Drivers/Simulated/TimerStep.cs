namespace UpsAgent.Drivers.Simulated;

/// <summary>A <c>TIMER seconds</c> line: apply what came before, then wait this long.</summary>
public sealed record TimerStep(int LineNumber, int Seconds) : DeviceStep(LineNumber);
