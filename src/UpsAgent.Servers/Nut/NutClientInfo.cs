namespace UpsAgent.Servers.Nut;

/// <summary>One open NUT client as the console lists it.</summary>
public sealed record NutClientInfo(
    string Address,
    string? UserName,
    string? LoginUps,
    bool IsTls,
    bool TrackingEnabled,
    DateTimeOffset ConnectedAt,
    long Requests);
