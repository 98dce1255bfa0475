namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// A <c>name: value</c> line. An empty value removes the variable, as dummy-ups does
/// (its setvar deletes a variable set to "").
/// </summary>
public sealed record SetVariableStep(int LineNumber, string Name, string Value) : DeviceStep(LineNumber);
