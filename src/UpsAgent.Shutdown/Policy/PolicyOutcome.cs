using System.Collections.Immutable;

namespace UpsAgent.Shutdown.Policy;

/// <summary>
/// One evaluation's result: the next state, the per-UPS verdicts, and the decision if it was taken
/// by this very evaluation (it is taken once; later evaluations return null here).
/// </summary>
public sealed record PolicyOutcome(
    PolicyState State,
    ImmutableArray<SupplyVerdict> Verdicts,
    ShutdownDecision? NewDecision,
    int HealthyPowerValue);
