namespace UpsAgent.Shutdown.Notifications;

/// <summary>
/// upsmon's notification types; the names are what NOTIFYTYPE carries to notify scripts, so
/// existing NUT scripts keep working (2.8.0 set, then the 2.8.1-2.8.5 additions).
/// </summary>
public enum NotifyType
{
    Online,
    OnBattery,
    LowBattery,
    ForcedShutdown,
    CommOk,
    CommBad,
    Shutdown,
    ReplaceBattery,
    NoComm,
    NoParent,
    Calibrating,
    NotCalibrating,
    Off,
    NotOff,
    Bypass,
    NotBypass,
    Eco,
    NotEco,
    Alarm,
    NotAlarm,
    Overload,
    NotOverload,
    Trim,
    NotTrim,
    Boost,
    NotBoost,
    Other,
    NotOther,
    ShutdownHostSync,
}
