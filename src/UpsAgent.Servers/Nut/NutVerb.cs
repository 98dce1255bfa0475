using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

internal delegate void NutVerbHandler(NutSession session, NutRequestLine line);

/// <summary>One entry of the verb table: the first word, whether USERNAME and PASSWORD must have been sent, the handler.</summary>
internal sealed record NutVerb(string Name, bool RequiresUser, NutVerbHandler Handler);
