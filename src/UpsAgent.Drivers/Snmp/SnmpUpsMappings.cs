using UpsAgent.Protocols.Snmp;
using static UpsAgent.Drivers.Snmp.SnmpMappingEntry;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// The MIBs the manager driver reads, with the variables and units NUT's snmp-ups gives them
/// (drivers/ietf-mib.c and drivers/apc-mib.c) and the sysObjectID rules that pick one.
/// </summary>
public static class SnmpUpsMappings
{
    private const string Ups = "1.3.6.1.2.1.33.1.";
    private const string Apc = "1.3.6.1.4.1.318.1.1.1.";
    private const string SysDescr = "1.3.6.1.2.1.1.1.0";
    private const string SysContact = "1.3.6.1.2.1.1.4.0";
    private const string SysLocation = "1.3.6.1.2.1.1.6.0";

    public static ObjectIdentifier SysObjectId { get; } = ObjectIdentifier.Parse("1.3.6.1.2.1.1.2.0");

    /// <summary>RFC 1628 UPS-MIB: minutes of runtime, tenths of battery volts, Hz and amps; whole line volts.</summary>
    public static SnmpUpsMapping Ietf { get; } = new("ietf", "RFC 1628 UPS-MIB", ObjectIdentifier.Parse(Ups + "1.2.0"),
    [
        Text("device.description", SysDescr),
        Text("device.contact", SysContact),
        Text("device.location", SysLocation),
        Text("ups.mfr", Ups + "1.1.0"),
        Text("ups.model", Ups + "1.2.0"),
        Text("ups.firmware", Ups + "1.3.0"),
        Text("ups.firmware.aux", Ups + "1.4.0"),

        // upsOutputSource first so the line state leads ups.status ("OB LB").
        Status(Ups + "4.1.0", (2, "OFF"), (3, "OL"), (4, "OL BYPASS"), (5, "OB"), (6, "OL BOOST"), (7, "OL TRIM")),
        Status(Ups + "2.1.0", (3, "LB"), (4, "LB")),

        // upsTestId names the last test run, not only a running one (RFC 1628); NUT reads it as
        // running and shows OL TEST forever (nut#2416). It counts here only while
        // upsTestResultsSummary is inProgress(5) or the card lacks that object.
        StatusFromLastArc(Ups + "7.1.0", (3, "TEST"), (4, "TEST"), (5, "CAL"))
            with { OnlyWhileObject = ObjectIdentifier.Parse(Ups + "7.3.0"), OnlyWhileValue = 5 },

        Number("battery.runtime", Ups + "2.3.0", 60),
        Number("battery.charge", Ups + "2.4.0"),
        Number("battery.voltage", Ups + "2.5.0", 0.1),
        Number("battery.current", Ups + "2.6.0", 0.1, negativeInvalid: true),
        Number("battery.temperature", Ups + "2.7.0"),
        Number("input.phases", Ups + "3.2.0"),
        Number("input.frequency", Ups + "3.3.1.2.1", 0.1),
        Number("input.voltage", Ups + "3.3.1.3.1"),
        Number("input.current", Ups + "3.3.1.4.1", 0.1, negativeInvalid: true),
        Number("input.realpower", Ups + "3.3.1.5.1", negativeInvalid: true),
        Number("output.frequency", Ups + "4.2.0", 0.1),
        Number("output.phases", Ups + "4.3.0"),
        Number("output.voltage", Ups + "4.4.1.2.1"),
        Number("output.current", Ups + "4.4.1.3.1", 0.1, negativeInvalid: true),
        Number("output.realpower", Ups + "4.4.1.4.1", negativeInvalid: true),
        Number("ups.load", Ups + "4.4.1.5.1"),
        Number("input.bypass.phases", Ups + "5.2.0", negativeInvalid: true),
        Number("input.bypass.frequency", Ups + "5.1.0", 0.1, negativeInvalid: true),
        Number("input.bypass.voltage", Ups + "5.3.1.2.1"),
        Number("input.bypass.current", Ups + "5.3.1.3.1", 0.1),
        Number("input.bypass.realpower", Ups + "5.3.1.4.1"),
        Lookup("ups.test.result", Ups + "7.3.0",
            (1, "done and passed"), (2, "done and warning"), (3, "done and error"), (4, "aborted"), (5, "in progress"), (6, "no test initiated")),
        Number("ups.timer.shutdown", Ups + "8.2.0"),
        Number("ups.timer.start", Ups + "8.3.0"),
        Number("ups.timer.reboot", Ups + "8.4.0"),
        Lookup("ups.start.auto", Ups + "8.5.0", (1, "yes"), (2, "no")),
        Number("input.voltage.nominal", Ups + "9.1.0", negativeInvalid: true),
        Number("input.frequency.nominal", Ups + "9.2.0", 0.1, negativeInvalid: true),
        Number("output.voltage.nominal", Ups + "9.3.0"),
        Number("output.frequency.nominal", Ups + "9.4.0", 0.1),
        Number("output.power.nominal", Ups + "9.5.0", negativeInvalid: true),
        Number("output.realpower.nominal", Ups + "9.6.0", negativeInvalid: true),
        Number("battery.runtime.low", Ups + "9.7.0", 60),
        Lookup("ups.beeper.status", Ups + "9.8.0", (1, "disabled"), (2, "enabled"), (3, "muted")),
        Number("input.transfer.low", Ups + "9.9.0"),
        Number("input.transfer.high", Ups + "9.10.0"),
    ]);

    /// <summary>
    /// APC PowerNet-MIB (upsBasic/upsAdv/upsHighPrec): TimeTicks runtimes and delays, tenths in the
    /// HighPrec objects, which win over the whole-unit upsAdv ones when the card has them.
    /// </summary>
    public static SnmpUpsMapping ApcPowerNet { get; } = new("apc", "APC PowerNet-MIB", ObjectIdentifier.Parse(Apc + "1.1.1.0"),
    [
        Text("device.description", SysDescr),
        Text("device.contact", SysContact),
        Text("device.location", SysLocation),
        Constant("ups.mfr", "APC"),
        Text("ups.model", Apc + "1.1.1.0"),
        Text("ups.id", Apc + "1.1.2.0"),
        Text("ups.firmware", Apc + "1.2.1.0"),
        Text("ups.mfr.date", Apc + "1.2.2.0"),
        Text("ups.serial", Apc + "1.2.3.0"),

        // upsBasicOutputStatus, all of PowerNet 4.2.8's values (NUT 2.8.0 knew only 1-12 and left
        // ecoMode and later ones with an empty ups.status).
        Status(Apc + "4.1.1.0",
            (2, "OL"), (3, "OB"), (4, "OL BOOST"), (5, "OFF"), (6, "OFF"), (7, "OFF"), (9, "BYPASS"), (10, "BYPASS"),
            (11, "OFF"), (12, "OL TRIM"), (13, "OL ECO"), (14, "OL"), (15, "OL"), (16, "BYPASS"), (17, "BYPASS"),
            (19, "OL"), (20, "OL ECO"), (21, "OL"), (22, "OL"), (24, "OL"), (25, "OL"), (28, "OL")),
        Status(Apc + "2.1.1.0", (3, "LB"), (4, "LB"), (5, "LB")),
        Status(Apc + "7.2.6.0", (3, "CAL")),
        Status(Apc + "2.2.4.0", (2, "RB")),

        Number("battery.charge", Apc + "2.3.1.0", 0.1, negativeInvalid: true),
        Number("battery.charge", Apc + "2.2.1.0"),
        Number("battery.runtime", Apc + "2.2.3.0"),
        Number("battery.runtime.low", Apc + "5.2.8.0"),
        Number("battery.voltage", Apc + "2.3.4.0", 0.1, negativeInvalid: true),
        Number("battery.voltage", Apc + "2.2.8.0"),
        Number("battery.voltage.nominal", Apc + "2.2.7.0"),
        Number("battery.current", Apc + "2.3.5.0", 0.1),
        Number("battery.current", Apc + "2.2.9.0"),
        Number("battery.current.total", Apc + "2.3.6.0", 0.1),
        Number("battery.packs", Apc + "2.2.5.0"),
        Number("battery.packs.bad", Apc + "2.2.6.0"),
        Number("battery.charge.restart", Apc + "5.2.6.0"),
        Text("battery.date", Apc + "2.1.3.0"),
        Number("ups.temperature", Apc + "2.3.2.0", 0.1),
        Number("ups.temperature", Apc + "2.2.2.0"),
        Number("input.voltage", Apc + "3.3.1.0", 0.1, negativeInvalid: true),
        Number("input.voltage", Apc + "3.2.1.0"),
        Number("input.voltage.maximum", Apc + "3.3.2.0", 0.1, negativeInvalid: true),
        Number("input.voltage.maximum", Apc + "3.2.2.0"),
        Number("input.voltage.minimum", Apc + "3.3.3.0", 0.1, negativeInvalid: true),
        Number("input.voltage.minimum", Apc + "3.2.3.0"),
        Number("input.frequency", Apc + "3.3.4.0", 0.1, negativeInvalid: true),
        Number("input.frequency", Apc + "3.2.4.0"),
        Lookup("input.transfer.reason", Apc + "3.2.5.0",
            (1, "noTransfer"), (2, "highLineVoltage"), (3, "brownout"), (4, "blackout"), (5, "smallMomentarySag"),
            (6, "deepMomentarySag"), (7, "smallMomentarySpike"), (8, "largeMomentarySpike"), (9, "selfTest"), (10, "rateOfVoltageChange")),
        Number("input.transfer.low", Apc + "5.2.3.0"),
        Number("input.transfer.high", Apc + "5.2.2.0"),
        Lookup("input.sensitivity", Apc + "5.2.7.0", (1, "auto"), (2, "low"), (3, "medium"), (4, "high")),
        Number("output.voltage", Apc + "4.3.1.0", 0.1),
        Number("output.voltage", Apc + "4.2.1.0"),
        Number("output.frequency", Apc + "4.3.2.0", 0.1, negativeInvalid: true),
        Number("output.frequency", Apc + "4.2.2.0"),
        Number("output.current", Apc + "4.3.4.0", 0.1, negativeInvalid: true),
        Number("output.current", Apc + "4.2.4.0"),
        Number("output.voltage.nominal", Apc + "5.2.1.0"),
        Number("ups.load", Apc + "4.3.3.0", 0.1, negativeInvalid: true),
        Number("ups.load", Apc + "4.2.3.0"),
        Number("ups.power", Apc + "4.2.9.0"),
        Number("ups.realpower", Apc + "4.2.8.0"),
        Number("ups.delay.shutdown", Apc + "5.2.10.0"),
        Number("ups.delay.start", Apc + "5.2.9.0"),
        Lookup("ups.test.result", Apc + "7.2.3.0", (1, "Ok"), (2, "Failed"), (3, "InvalidTest"), (4, "TestInProgress")),
        Text("ups.test.date", Apc + "7.2.4.0"),
        Number("ambient.temperature", "1.3.6.1.4.1.318.1.1.2.1.1.0"),
        Number("ambient.humidity", "1.3.6.1.4.1.318.1.1.2.1.2.0"),
    ]);

    public static IReadOnlyList<SnmpUpsMapping> All { get; } = [Ietf, ApcPowerNet];

    public static SnmpUpsMapping? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The MIB a sysObjectID names: upsMIB itself (and Tripp Lite's 1.3.6.1.4.1.850.1, which NUT
    /// also reads with the IETF table) or anything under APC's enterprise 318. NUT compares APC's
    /// sysObjectID with the model object and never matches (nut#1042); prefixes do.
    /// </summary>
    public static SnmpUpsMapping? ForSystemObjectId(ObjectIdentifier sysObjectId)
    {
        ArgumentNullException.ThrowIfNull(sysObjectId);
        return sysObjectId.StartsWith(UpsMib) || sysObjectId.StartsWith(TrippLite) ? Ietf
            : sysObjectId.StartsWith(ApcEnterprise) ? ApcPowerNet
            : null;
    }

    private static ObjectIdentifier UpsMib { get; } = ObjectIdentifier.Parse("1.3.6.1.2.1.33");

    private static ObjectIdentifier TrippLite { get; } = ObjectIdentifier.Parse("1.3.6.1.4.1.850.1");

    private static ObjectIdentifier ApcEnterprise { get; } = ObjectIdentifier.Parse("1.3.6.1.4.1.318");
}
