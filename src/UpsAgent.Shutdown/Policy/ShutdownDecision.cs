using System.Collections.Immutable;

namespace UpsAgent.Shutdown.Policy;

/// <summary>
/// The one decision to shut the host down: when, why, which UPS caused it, and on which UPSes this
/// host must first set FSD because it is their primary.
/// </summary>
public sealed record ShutdownDecision(
    TimeSpan DecidedAt,
    ShutdownReason Reason,
    string Ups,
    string Detail,
    ImmutableArray<string> SetFsdOn);
