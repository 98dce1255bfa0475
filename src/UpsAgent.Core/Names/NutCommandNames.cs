namespace UpsAgent.Core.Names;

/// <summary>NUT standard instant command names (docs/nut-names.txt, "Instant commands").</summary>
public static class NutCommandNames
{
    public const string LoadOff = "load.off";
    public const string LoadOn = "load.on";
    public const string LoadOffDelay = "load.off.delay";
    public const string LoadOnDelay = "load.on.delay";
    public const string ShutdownReturn = "shutdown.return";
    public const string ShutdownStayOff = "shutdown.stayoff";
    public const string ShutdownStop = "shutdown.stop";
    public const string ShutdownReboot = "shutdown.reboot";
    public const string TestBatteryStart = "test.battery.start";
    public const string TestBatteryStartQuick = "test.battery.start.quick";
    public const string TestBatteryStartDeep = "test.battery.start.deep";
    public const string TestBatteryStop = "test.battery.stop";
    public const string TestPanelStart = "test.panel.start";
    public const string TestPanelStop = "test.panel.stop";
    public const string CalibrateStart = "calibrate.start";
    public const string CalibrateStop = "calibrate.stop";
    public const string BeeperEnable = "beeper.enable";
    public const string BeeperDisable = "beeper.disable";
    public const string BeeperMute = "beeper.mute";
    public const string BeeperToggle = "beeper.toggle";
}
