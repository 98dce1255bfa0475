using UpsAgent.Drivers.Snmp;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Tests.Snmp;

[TestClass]
public sealed class SnmpUpsMappingTests
{
    private const string Ups = FakeCards.Ups;
    private const string Apc = FakeCards.PowerNet;

    private static Dictionary<string, string> Map(SnmpUpsMapping mapping, params (string Oid, SnmpValue Value)[] values) =>
        mapping.Map(values.ToDictionary(v => ObjectIdentifier.Parse(v.Oid), v => v.Value))
            .ToDictionary(p => p.Key, p => p.Value);

    private static SnmpValue I(int value) => SnmpValue.Integer(value);

    [TestMethod]
    public void Ups_mib_units_become_nut_units()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.Ietf,
            (Ups + "2.3.0", I(42)), (Ups + "2.5.0", I(545)), (Ups + "3.3.1.2.1", I(500)), (Ups + "3.3.1.3.1", I(230)),
            (Ups + "4.4.1.3.1", I(19)), (Ups + "9.7.0", I(5)), (Ups + "9.2.0", I(599)), (Ups + "4.4.1.5.1", I(31)));

        Assert.AreEqual("2520", v["battery.runtime"], "upsEstimatedMinutesRemaining is minutes");
        Assert.AreEqual("54.50", v["battery.voltage"], "upsBatteryVoltage is 0.1 V DC");
        Assert.AreEqual("50", v["input.frequency"], "0.1 Hz");
        Assert.AreEqual("230", v["input.voltage"], "line volts are whole RMS volts");
        Assert.AreEqual("1.90", v["output.current"], "0.1 A");
        Assert.AreEqual("300", v["battery.runtime.low"], "upsConfigLowBattTime is minutes");
        Assert.AreEqual("59.90", v["input.frequency.nominal"]);
        Assert.AreEqual("31", v["ups.load"]);
    }

    [TestMethod]
    [DataRow(3, 2, "OL")]
    [DataRow(5, 2, "OB")]
    [DataRow(5, 3, "OB LB")]
    [DataRow(5, 4, "OB LB")]
    [DataRow(4, 2, "OL BYPASS")]
    [DataRow(6, 2, "OL BOOST")]
    [DataRow(7, 1, "OL TRIM")]
    [DataRow(2, 2, "OFF")]
    public void Ups_mib_output_source_and_battery_status_make_nut_statuses(int outputSource, int batteryStatus, string expected)
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.Ietf, (Ups + "4.1.0", I(outputSource)), (Ups + "2.1.0", I(batteryStatus)));

        Assert.AreEqual(expected, v["ups.status"]);
    }

    [TestMethod]
    public void Other_output_source_and_unknown_battery_give_no_status_at_all()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.Ietf, (Ups + "4.1.0", I(1)), (Ups + "2.1.0", I(1)), (Ups + "2.4.0", I(50)));

        Assert.IsFalse(v.ContainsKey("ups.status"));
        Assert.AreEqual("50", v["battery.charge"]);
    }

    [TestMethod]
    public void A_finished_test_named_in_upsTestId_is_not_a_running_test()
    {
        SnmpValue quickTest = SnmpValue.ObjectId(ObjectIdentifier.Parse(Ups + "7.7.4"));
        Dictionary<string, string> done = Map(SnmpUpsMappings.Ietf, (Ups + "4.1.0", I(3)), (Ups + "7.1.0", quickTest), (Ups + "7.3.0", I(1)));
        Dictionary<string, string> running = Map(SnmpUpsMappings.Ietf, (Ups + "4.1.0", I(3)), (Ups + "7.1.0", quickTest), (Ups + "7.3.0", I(5)));
        Dictionary<string, string> noSummary = Map(SnmpUpsMappings.Ietf, (Ups + "4.1.0", I(3)),
            (Ups + "7.1.0", SnmpValue.ObjectId(ObjectIdentifier.Parse(Ups + "7.7.5"))));

        Assert.AreEqual("OL", done["ups.status"], "nut#2416: NUT shows OL TEST forever here");
        Assert.AreEqual("done and passed", done["ups.test.result"]);
        Assert.AreEqual("OL TEST", running["ups.status"]);
        Assert.AreEqual("in progress", running["ups.test.result"]);
        Assert.AreEqual("OL CAL", noSummary["ups.status"], "deep calibration, as NUT maps upsTestDeepBatteryCalibration");
    }

    [TestMethod]
    public void Negative_values_of_objects_that_cannot_be_negative_are_left_out()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.Ietf, (Ups + "2.6.0", I(-12)), (Ups + "2.7.0", I(-5)));

        Assert.IsFalse(v.ContainsKey("battery.current"), "NUT's NEGINVALID: a discharge current is not published");
        Assert.AreEqual("-5", v["battery.temperature"]);
    }

    [TestMethod]
    public void Lookups_turn_enumerations_into_nut_words()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.Ietf, (Ups + "9.8.0", I(3)), (Ups + "8.5.0", I(2)), (Ups + "7.3.0", I(6)));

        Assert.AreEqual("muted", v["ups.beeper.status"]);
        Assert.AreEqual("no", v["ups.start.auto"]);
        Assert.AreEqual("no test initiated", v["ups.test.result"]);
    }

    [TestMethod]
    public void Display_strings_lose_the_padding_cards_add()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.Ietf,
            (Ups + "1.2.0", SnmpValue.OctetString([.. "Smart 1500  "u8, 0, 0])), (Ups + "1.1.0", SnmpValue.OctetString([0x41, 0xE9, 0x42])));

        Assert.AreEqual("Smart 1500", v["ups.model"]);
        Assert.AreEqual("A?B", v["ups.mfr"], "non-ASCII octets are not passed on");
    }

    [TestMethod]
    public void Powernet_runtime_in_timeticks_becomes_seconds()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.ApcPowerNet,
            (Apc + "2.2.3.0", SnmpValue.TimeTicks(252_000)), (Apc + "5.2.8.0", SnmpValue.TimeTicks(12_000)), (Apc + "5.2.10.0", SnmpValue.TimeTicks(9_000)));

        Assert.AreEqual("2520", v["battery.runtime"], "252000 hundredths of a second = 42 minutes");
        Assert.AreEqual("120", v["battery.runtime.low"]);
        Assert.AreEqual("90", v["ups.delay.shutdown"], "NUT 2.8.0 prints 270 here (its length field used as a factor)");
        Assert.AreEqual("APC", v["ups.mfr"]);
    }

    [TestMethod]
    public void Powernet_high_precision_objects_win_over_whole_units()
    {
        Dictionary<string, string> both = Map(SnmpUpsMappings.ApcPowerNet,
            (Apc + "3.3.1.0", SnmpValue.Gauge32(2301)), (Apc + "3.2.1.0", SnmpValue.Gauge32(230)),
            (Apc + "2.3.1.0", SnmpValue.Gauge32(995)), (Apc + "2.2.1.0", SnmpValue.Gauge32(99)),
            (Apc + "4.3.3.0", SnmpValue.Gauge32(184)), (Apc + "4.2.3.0", SnmpValue.Gauge32(18)));
        Dictionary<string, string> wholeOnly = Map(SnmpUpsMappings.ApcPowerNet,
            (Apc + "3.2.1.0", SnmpValue.Gauge32(230)), (Apc + "2.2.1.0", SnmpValue.Gauge32(99)));

        Assert.AreEqual("230.10", both["input.voltage"]);
        Assert.AreEqual("99.50", both["battery.charge"]);
        Assert.AreEqual("18.40", both["ups.load"]);
        Assert.AreEqual("230", wholeOnly["input.voltage"]);
        Assert.AreEqual("99", wholeOnly["battery.charge"]);
    }

    [TestMethod]
    [DataRow(2, 2, 1, "OL")]
    [DataRow(3, 3, 1, "OB LB")]
    [DataRow(3, 2, 2, "OB RB")]
    [DataRow(4, 2, 1, "OL BOOST")]
    [DataRow(12, 2, 1, "OL TRIM")]
    [DataRow(13, 2, 1, "OL ECO")]
    [DataRow(9, 2, 1, "BYPASS")]
    [DataRow(7, 2, 1, "OFF")]
    [DataRow(20, 5, 1, "OL ECO LB")]
    public void Powernet_output_and_battery_status_make_nut_statuses(int outputStatus, int batteryStatus, int replace, string expected)
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.ApcPowerNet,
            (Apc + "4.1.1.0", I(outputStatus)), (Apc + "2.1.1.0", I(batteryStatus)), (Apc + "2.2.4.0", I(replace)));

        Assert.AreEqual(expected, v["ups.status"]);
    }

    [TestMethod]
    public void Powernet_calibration_in_progress_is_CAL()
    {
        Dictionary<string, string> v = Map(SnmpUpsMappings.ApcPowerNet, (Apc + "4.1.1.0", I(2)), (Apc + "7.2.6.0", I(3)));

        Assert.AreEqual("OL CAL", v["ups.status"]);
    }

    [TestMethod]
    [DataRow("1.3.6.1.2.1.33", "ietf")]
    [DataRow("1.3.6.1.2.1.33.1", "ietf")]
    [DataRow("1.3.6.1.4.1.850.1", "ietf")]
    [DataRow("1.3.6.1.4.1.318.1.3.2.16", "apc")]
    [DataRow("1.3.6.1.4.1.318.1.3.27", "apc")]
    public void Sys_object_id_names_the_mib(string sysObjectId, string expected)
    {
        Assert.AreEqual(expected, SnmpUpsMappings.ForSystemObjectId(ObjectIdentifier.Parse(sysObjectId))?.Name);
    }

    [TestMethod]
    public void Net_snmp_s_own_sys_object_id_names_no_ups_mib()
    {
        Assert.IsNull(SnmpUpsMappings.ForSystemObjectId(ObjectIdentifier.Parse("1.3.6.1.4.1.8072.3.2.10")));
    }

    [TestMethod]
    [DataRow(54.5, "54.50")]
    [DataRow(230.0, "230")]
    [DataRow(0.1, "0.10")]
    [DataRow(-3.0, "-3")]
    public void Numbers_print_as_nut_prints_them(double value, string expected)
    {
        Assert.AreEqual(expected, SnmpUpsMapping.FormatNumber(value));
    }

    [TestMethod]
    public void Every_mib_lists_each_object_once()
    {
        foreach (SnmpUpsMapping mapping in SnmpUpsMappings.All)
        {
            Assert.HasCount(mapping.Objects.Distinct().Count(), mapping.Objects, mapping.Name);
            Assert.Contains(mapping.ModelObject, mapping.Objects.ToList(), mapping.Name);
        }
    }
}
