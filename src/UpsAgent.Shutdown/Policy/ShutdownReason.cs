namespace UpsAgent.Shutdown.Policy;

/// <summary>Why the policy decided to shut the host down.</summary>
public enum ShutdownReason
{
    /// <summary>A primary set FSD on a UPS (or the UPS itself reported it).</summary>
    ForcedShutdown,

    /// <summary>On battery and low battery: upsmon's rule.</summary>
    LowBattery,

    /// <summary>A secondary saw OB LB for longer than host-sync without FSD ("giving up on the primary").</summary>
    PrimaryGaveNoFsd,

    /// <summary>Silent longer than dead-time while last seen on battery.</summary>
    DeadOnBattery,

    OnBatteryTooLong,

    RuntimeBelowThreshold,

    ChargeBelowThreshold,

    /// <summary>The healthy supplies' power values add up to less than min-supplies.</summary>
    NotEnoughSupplies,
}
