namespace UpsAgent.Tui.Status;

/// <summary>One UPS as "status tsv" reports it; charge and runtime are empty when the UPS does not say.</summary>
public sealed record UpsRow(string Name, string DataState, string Status, string ChargePercent, string RuntimeSeconds, string Description);
