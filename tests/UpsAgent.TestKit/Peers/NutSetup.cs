namespace UpsAgent.TestKit.Peers;

/// <summary>
/// What a NUT server under test serves and who may use it. Both the real upsd and upsagent are configured
/// from the same setup, so any difference in their answers comes from the servers.
/// </summary>
public sealed record NutSetup(IReadOnlyList<SimulatedUps> Ups, IReadOnlyList<NutUser> Users);
