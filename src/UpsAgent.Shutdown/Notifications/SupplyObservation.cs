using UpsAgent.Core.State;

namespace UpsAgent.Shutdown.Notifications;

/// <summary>One poll of one UPS as the event detector sees it: reachable or not, and its status.</summary>
public readonly record struct SupplyObservation(bool Reachable, UpsStatus Status);
