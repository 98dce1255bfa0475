namespace UpsAgent.Shutdown.Notifications;

/// <summary>The NOTIFYTYPE words and our default message for each type ("%s" is the UPS).</summary>
public static class NotifyTypeNames
{
    public static string Name(NotifyType type) => type switch
    {
        NotifyType.Online => "ONLINE",
        NotifyType.OnBattery => "ONBATT",
        NotifyType.LowBattery => "LOWBATT",
        NotifyType.ForcedShutdown => "FSD",
        NotifyType.CommOk => "COMMOK",
        NotifyType.CommBad => "COMMBAD",
        NotifyType.Shutdown => "SHUTDOWN",
        NotifyType.ReplaceBattery => "REPLBATT",
        NotifyType.NoComm => "NOCOMM",
        NotifyType.NoParent => "NOPARENT",
        NotifyType.Calibrating => "CAL",
        NotifyType.NotCalibrating => "NOTCAL",
        NotifyType.Off => "OFF",
        NotifyType.NotOff => "NOTOFF",
        NotifyType.Bypass => "BYPASS",
        NotifyType.NotBypass => "NOTBYPASS",
        NotifyType.Eco => "ECO",
        NotifyType.NotEco => "NOTECO",
        NotifyType.Alarm => "ALARM",
        NotifyType.NotAlarm => "NOTALARM",
        NotifyType.Overload => "OVER",
        NotifyType.NotOverload => "NOTOVER",
        NotifyType.Trim => "TRIM",
        NotifyType.NotTrim => "NOTTRIM",
        NotifyType.Boost => "BOOST",
        NotifyType.NotBoost => "NOTBOOST",
        NotifyType.Other => "OTHER",
        NotifyType.NotOther => "NOTOTHER",
        NotifyType.ShutdownHostSync => "SHUTDOWN_HOSTSYNC",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown notify type"),
    };

    public static bool TryParse(string name, out NotifyType type)
    {
        foreach (NotifyType candidate in Enum.GetValues<NotifyType>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Our wording of each event; "%s" stands for the UPS, as in upsmon's NOTIFYMSG.</summary>
    public static string DefaultMessage(NotifyType type) => type switch
    {
        NotifyType.Online => "UPS %s: mains power is back",
        NotifyType.OnBattery => "UPS %s: mains power lost, running on battery",
        NotifyType.LowBattery => "UPS %s: battery is low",
        NotifyType.ForcedShutdown => "UPS %s: forced shutdown ordered",
        NotifyType.CommOk => "UPS %s: communication restored",
        NotifyType.CommBad => "UPS %s: communication lost",
        NotifyType.Shutdown => "This host is shutting down now",
        NotifyType.ReplaceBattery => "UPS %s: the battery needs replacing",
        NotifyType.NoComm => "UPS %s: still unreachable",
        NotifyType.NoParent => "The shutdown process is gone: this host cannot shut down by itself",
        NotifyType.Calibrating => "UPS %s: runtime calibration running",
        NotifyType.NotCalibrating => "UPS %s: runtime calibration over",
        NotifyType.Off => "UPS %s: output is off",
        NotifyType.NotOff => "UPS %s: output is on again",
        NotifyType.Bypass => "UPS %s: on bypass, the battery does not protect the load",
        NotifyType.NotBypass => "UPS %s: off bypass",
        NotifyType.Eco => "UPS %s: in eco mode",
        NotifyType.NotEco => "UPS %s: out of eco mode",
        NotifyType.Alarm => "UPS %s: alarm raised",
        NotifyType.NotAlarm => "UPS %s: alarm cleared",
        NotifyType.Overload => "UPS %s: overloaded",
        NotifyType.NotOverload => "UPS %s: no longer overloaded",
        NotifyType.Trim => "UPS %s: trimming high input voltage",
        NotifyType.NotTrim => "UPS %s: no longer trimming",
        NotifyType.Boost => "UPS %s: boosting low input voltage",
        NotifyType.NotBoost => "UPS %s: no longer boosting",
        NotifyType.Other => "UPS %s: reports an unknown status",
        NotifyType.NotOther => "UPS %s: unknown status cleared",
        NotifyType.ShutdownHostSync => "Waiting for secondaries to shut down before this host does",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown notify type"),
    };
}
