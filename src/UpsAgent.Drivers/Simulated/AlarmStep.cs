namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// An <c>ALARM text</c> line: raises ups.alarm with this text and the ALARM status token.
/// A bare <c>ALARM</c> (empty text) clears the alarm.
/// </summary>
public sealed record AlarmStep(int LineNumber, string Text) : DeviceStep(LineNumber);
