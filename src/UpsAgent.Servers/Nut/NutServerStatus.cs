namespace UpsAgent.Servers.Nut;

/// <summary>A read-only snapshot of the NUT server for the console and logs.</summary>
public sealed record NutServerStatus(
    bool Listening,
    IReadOnlyList<System.Net.IPEndPoint> Endpoints,
    int OpenConnections,
    long AcceptedConnections,
    long RejectedConnections,
    long Requests,
    IReadOnlyDictionary<string, int> LoginsPerUps,
    IReadOnlyList<NutClientInfo> Clients,
    int TrackingEntries);
