namespace UpsAgent.Core.Names;

/// <summary>NUT standard variable names (docs/nut-names.txt) that the agent itself reads or writes.</summary>
public static class NutNames
{
    public const string UpsStatus = "ups.status";
    public const string UpsAlarm = "ups.alarm";
    public const string UpsMfr = "ups.mfr";
    public const string UpsModel = "ups.model";
    public const string UpsSerial = "ups.serial";
    public const string UpsId = "ups.id";
    public const string UpsLoad = "ups.load";
    public const string UpsTemperature = "ups.temperature";
    public const string UpsBeeperStatus = "ups.beeper.status";
    public const string UpsDelayShutdown = "ups.delay.shutdown";
    public const string UpsDelayStart = "ups.delay.start";
    public const string UpsTimerShutdown = "ups.timer.shutdown";
    public const string UpsTimerStart = "ups.timer.start";
    public const string UpsTestResult = "ups.test.result";
    public const string UpsTestDate = "ups.test.date";
    public const string BatteryCharge = "battery.charge";
    public const string BatteryChargeLow = "battery.charge.low";
    public const string BatteryRuntime = "battery.runtime";
    public const string BatteryRuntimeLow = "battery.runtime.low";
    public const string BatteryVoltage = "battery.voltage";
    public const string BatteryChargerStatus = "battery.charger.status";
    public const string InputVoltage = "input.voltage";
    public const string InputFrequency = "input.frequency";
    public const string InputTransferReason = "input.transfer.reason";
    public const string OutputVoltage = "output.voltage";
    public const string DeviceMfr = "device.mfr";
    public const string DeviceModel = "device.model";
    public const string DeviceType = "device.type";
    public const string DriverName = "driver.name";
    public const string DriverVersion = "driver.version";
    public const string ServerInfo = "server.info";
    public const string ServerVersion = "server.version";
}
