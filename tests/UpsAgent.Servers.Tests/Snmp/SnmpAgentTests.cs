using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Servers.Tests.Snmp;

[TestClass]
public sealed class SnmpAgentTests
{
    private const string SysDescr = "1.3.6.1.2.1.1.1.0";
    private const string SysObjectId = "1.3.6.1.2.1.1.2.0";
    private const string SysUpTime = "1.3.6.1.2.1.1.3.0";
    private const string UpsIdentModel = "1.3.6.1.2.1.33.1.1.2.0";
    private const string UpsBatteryStatus = "1.3.6.1.2.1.33.1.2.1.0";
    private const string UpsSecondsOnBattery = "1.3.6.1.2.1.33.1.2.2.0";
    private const string UpsEstimatedMinutesRemaining = "1.3.6.1.2.1.33.1.2.3.0";
    private const string UpsEstimatedChargeRemaining = "1.3.6.1.2.1.33.1.2.4.0";
    private const string UpsBatteryVoltage = "1.3.6.1.2.1.33.1.2.5.0";
    private const string UpsInputVoltage = "1.3.6.1.2.1.33.1.3.3.1.3.1";
    private const string UpsInputFrequency = "1.3.6.1.2.1.33.1.3.3.1.2.1";
    private const string UpsOutputSource = "1.3.6.1.2.1.33.1.4.1.0";
    private const string UpsAlarmsPresent = "1.3.6.1.2.1.33.1.6.1.0";
    private const string UpsAlarmDescr = "1.3.6.1.2.1.33.1.6.2.1.2";
    private const string UpsAlarmTable = "1.3.6.1.2.1.33.1.6.2";
    private const string UpsConfigLowBattTime = "1.3.6.1.2.1.33.1.9.7.0";

    [TestMethod]
    public void Get_returns_the_state_model_in_ups_mib_units()
    {
        var f = new SnmpAgentFixture();
        Assert.AreEqual(SnmpValue.OctetString("SIM-1500 LI"), f.Get(UpsIdentModel));
        Assert.AreEqual(SnmpValue.Integer(2), f.Get(UpsBatteryStatus), "batteryNormal");
        Assert.AreEqual(SnmpValue.Integer(34), f.Get(UpsEstimatedMinutesRemaining), "2040 s is 34 minutes");
        Assert.AreEqual(SnmpValue.Integer(100), f.Get(UpsEstimatedChargeRemaining));
        Assert.AreEqual(SnmpValue.Integer(273), f.Get(UpsBatteryVoltage), "27.3 V in tenths");
        Assert.AreEqual(SnmpValue.Integer(231), f.Get(UpsInputVoltage), "whole RMS volts");
        Assert.AreEqual(SnmpValue.Integer(500), f.Get(UpsInputFrequency), "50.0 Hz in tenths");
        Assert.AreEqual(SnmpValue.Integer(3), f.Get(UpsOutputSource), "normal");
        Assert.AreEqual(SnmpValue.Integer(3), f.Get(UpsConfigLowBattTime), "180 s is 3 minutes");
        Assert.AreEqual(SnmpValue.ObjectId(UpsMibOids.UpsMib), f.Get(SysObjectId), "NUT's mibs=auto matches upsMIB exactly");
    }

    [TestMethod]
    public void Sys_up_time_counts_hundredths_from_the_agent_start()
    {
        var f = new SnmpAgentFixture();
        f.Clock.Advance(TimeSpan.FromSeconds(12.34));
        Assert.AreEqual(SnmpValue.TimeTicks(1234), f.Get(SysUpTime));
    }

    [TestMethod]
    public void V2c_get_answers_missing_objects_and_instances_per_varbind()
    {
        var f = new SnmpAgentFixture();
        SnmpPdu answer = f.Ask(SnmpVersion.V2c, SnmpPduType.GetRequest, SysDescr, "1.3.6.1.2.1.33.1.1.2.1", "1.3.6.1.2.1.99.0");
        Assert.AreEqual(0, answer.ErrorStatus);
        Assert.AreEqual(SnmpType.OctetString, answer.VarBinds[0].Value.Type);
        Assert.AreEqual(SnmpValue.NoSuchInstance, answer.VarBinds[1].Value);
        Assert.AreEqual(SnmpValue.NoSuchObject, answer.VarBinds[2].Value);
    }

    [TestMethod]
    public void V1_get_of_a_missing_object_fails_the_pdu_with_no_such_name_and_echoes_the_request()
    {
        var f = new SnmpAgentFixture();
        SnmpPdu answer = f.Ask(SnmpVersion.V1, SnmpPduType.GetRequest, SysDescr, "1.3.6.1.2.1.99.0");
        Assert.AreEqual((int)SnmpErrorStatus.NoSuchName, answer.ErrorStatus);
        Assert.AreEqual(2, answer.ErrorIndex);
        Assert.AreEqual(42, answer.RequestId);
        Assert.IsTrue(answer.VarBinds.All(v => v.Value.Type == SnmpType.Null));
        Assert.AreEqual("1.3.6.1.2.1.1.1.0", answer.VarBinds[0].Name.ToString());
    }

    [TestMethod]
    public void GetNext_returns_the_next_oid_in_lexicographic_order()
    {
        var f = new SnmpAgentFixture();
        Assert.AreEqual("1.3.6.1.2.1.1.1.0", f.Ask(SnmpVersion.V2c, SnmpPduType.GetNextRequest, "1.3.6.1.2.1").VarBinds[0].Name.ToString());
        Assert.AreEqual("1.3.6.1.2.1.33.1.9.10.0", f.Ask(SnmpVersion.V2c, SnmpPduType.GetNextRequest, "1.3.6.1.2.1.33.1.9.9.0").VarBinds[0].Name.ToString());
        Assert.AreEqual("1.3.6.1.2.1.33.1.3.3.1.2.1", f.Ask(SnmpVersion.V2c, SnmpPduType.GetNextRequest, "1.3.6.1.2.1.33.1.3.2.0").VarBinds[0].Name.ToString());
    }

    [TestMethod]
    public void A_getnext_walk_visits_every_instance_once_in_order_and_ends_with_end_of_mib_view()
    {
        var f = new SnmpAgentFixture();
        var seen = new List<ObjectIdentifier>();
        ObjectIdentifier at = SnmpAgentFixture.Oid("1.3.6.1");
        while (true)
        {
            VarBind next = f.Ask(SnmpVersion.V2c, SnmpPduType.GetNextRequest, at.ToString()).VarBinds.Single();
            if (next.Value.Type == SnmpType.EndOfMibView)
            {
                Assert.AreEqual(at, next.Name, "endOfMibView carries the requested name");
                break;
            }

            Assert.IsTrue(next.Name.CompareTo(at) > 0, $"{next.Name} after {at}");
            seen.Add(next.Name);
            at = next.Name;
        }

        Assert.AreEqual(f.View.Tree.Count, seen.Count);
        SnmpPdu v1End = f.Ask(SnmpVersion.V1, SnmpPduType.GetNextRequest, at.ToString());
        Assert.AreEqual((int)SnmpErrorStatus.NoSuchName, v1End.ErrorStatus);
        Assert.AreEqual(1, v1End.ErrorIndex);
    }

    [TestMethod]
    public void GetBulk_interleaves_the_repeaters_row_by_row_after_the_non_repeaters()
    {
        var f = new SnmpAgentFixture();
        var pdu = new SnmpPdu(SnmpPduType.GetBulkRequest, 7, 1, 3,
        [
            new VarBind(SnmpAgentFixture.Oid("1.3.6.1.2.1.1.3"), SnmpValue.Null),
            new VarBind(SnmpAgentFixture.Oid("1.3.6.1.2.1.33.1.1"), SnmpValue.Null),
            new VarBind(SnmpAgentFixture.Oid("1.3.6.1.2.1.33.1.9"), SnmpValue.Null),
        ]);
        SnmpPdu answer = f.Ask(SnmpAgentFixture.Request(SnmpVersion.V2c, "public", pdu))!;
        CollectionAssert.AreEqual(
            new[]
            {
                "1.3.6.1.2.1.1.3.0",
                "1.3.6.1.2.1.33.1.1.1.0", "1.3.6.1.2.1.33.1.9.1.0",
                "1.3.6.1.2.1.33.1.1.2.0", "1.3.6.1.2.1.33.1.9.2.0",
                "1.3.6.1.2.1.33.1.1.3.0", "1.3.6.1.2.1.33.1.9.3.0",
            },
            answer.VarBinds.Select(v => v.Name.ToString()).ToArray());
    }

    [TestMethod]
    public void GetBulk_stops_after_the_round_where_every_repeater_ended()
    {
        var f = new SnmpAgentFixture();
        var pdu = new SnmpPdu(SnmpPduType.GetBulkRequest, 7, 0, 50, [new VarBind(SnmpAgentFixture.Oid("1.3.6.1.6.3.15.1.1.5.0"), SnmpValue.Null)]);
        SnmpPdu answer = f.Ask(SnmpAgentFixture.Request(SnmpVersion.V2c, "public", pdu))!;
        Assert.HasCount(2, answer.VarBinds);
        Assert.AreEqual("1.3.6.1.6.3.15.1.1.6.0", answer.VarBinds[0].Name.ToString(), "usmStatsDecryptionErrors is the last object");
        Assert.AreEqual(SnmpValue.EndOfMibView, answer.VarBinds[1].Value);
    }

    [TestMethod]
    public void GetBulk_is_capped_and_cut_to_fit_the_datagram_instead_of_tooBig()
    {
        var f = new SnmpAgentFixture(new SnmpAgentOptions { MaxMessageSize = 300, MaxBulkVarBinds = 100 });
        var pdu = new SnmpPdu(SnmpPduType.GetBulkRequest, 7, 0, 10_000, [new VarBind(SnmpAgentFixture.Oid("1.3.6.1"), SnmpValue.Null)]);
        byte[] response = new byte[65_507];
        int length = f.Agent.Handle(SnmpAgentFixture.Request(SnmpVersion.V2c, "public", pdu), response);
        Assert.IsTrue(length is > 0 and <= 300, $"length {length}");
        Assert.IsTrue(SnmpMessageCodec.TryDecode(response.AsSpan(0, length), out SnmpMessage? message, out _));
        Assert.AreEqual(0, message.Pdu.ErrorStatus);
        Assert.IsTrue(message.Pdu.VarBinds.Count is > 3 and < 100, $"{message.Pdu.VarBinds.Count} varbinds");
    }

    [TestMethod]
    public void A_get_whose_answer_does_not_fit_is_answered_tooBig()
    {
        var f = new SnmpAgentFixture(new SnmpAgentOptions { MaxMessageSize = 120 });
        SnmpPdu answer = f.Ask(SnmpVersion.V2c, SnmpPduType.GetRequest, SysDescr, SysDescr, SysDescr, SysDescr);
        Assert.AreEqual((int)SnmpErrorStatus.TooBig, answer.ErrorStatus);
        Assert.AreEqual(0, answer.ErrorIndex);
        Assert.IsEmpty(answer.VarBinds);
    }

    [TestMethod]
    public void Set_is_refused_as_snmpd_refuses_it()
    {
        var f = new SnmpAgentFixture();
        SnmpPdu Set(SnmpVersion version, string community, string name) => f.Ask(SnmpAgentFixture.Request(version, community,
            new SnmpPdu(SnmpPduType.SetRequest, 5, 0, 0, [new VarBind(SnmpAgentFixture.Oid(name), SnmpValue.OctetString("x"))])))!;

        Assert.AreEqual((int)SnmpErrorStatus.NoAccess, Set(SnmpVersion.V2c, "public", "1.3.6.1.2.1.1.5.0").ErrorStatus);
        Assert.AreEqual((int)SnmpErrorStatus.NotWritable, Set(SnmpVersion.V2c, "private", "1.3.6.1.2.1.1.5.0").ErrorStatus);
        Assert.AreEqual((int)SnmpErrorStatus.NoCreation, Set(SnmpVersion.V2c, "private", "1.3.6.1.2.1.99.0").ErrorStatus);
        SnmpPdu v1 = Set(SnmpVersion.V1, "public", "1.3.6.1.2.1.1.5.0");
        Assert.AreEqual((int)SnmpErrorStatus.NoSuchName, v1.ErrorStatus);
        Assert.AreEqual(1, v1.ErrorIndex);
        Assert.AreEqual(SnmpValue.OctetString("SIM-1500 LI"), f.Get(UpsIdentModel), "nothing changed");
    }

    [TestMethod]
    public void Unknown_communities_and_garbage_get_no_answer_and_are_counted()
    {
        var f = new SnmpAgentFixture();
        Assert.IsNull(f.Ask(SnmpAgentFixture.Request(SnmpVersion.V2c, "wrong",
            new SnmpPdu(SnmpPduType.GetRequest, 1, 0, 0, [new VarBind(SnmpAgentFixture.Oid(SysDescr), SnmpValue.Null)]))));
        Assert.IsNull(f.Ask([0x30, 0x03, 0x02, 0x01]));
        Assert.AreEqual(1u, f.Agent.Counters.InBadCommunityNames);
        Assert.AreEqual(1u, f.Agent.Counters.InAsnParseErrors);
        Assert.AreEqual(SnmpValue.Counter32(1), f.Get("1.3.6.1.2.1.11.4.0"));
    }

    [TestMethod]
    public void Going_on_battery_and_low_battery_adds_alarm_rows_and_coming_back_removes_them()
    {
        var f = new SnmpAgentFixture();
        Assert.AreEqual(SnmpValue.Gauge32(0), f.Get(UpsAlarmsPresent));

        f.Clock.Advance(TimeSpan.FromSeconds(10));
        f.Writer.SetValues([new("ups.status", "OB DISCHRG"), new("battery.charge", "80")]);
        Assert.AreEqual(SnmpValue.Integer(5), f.Get(UpsOutputSource), "battery");
        Assert.AreEqual(SnmpValue.Gauge32(1), f.Get(UpsAlarmsPresent));
        Assert.AreEqual(SnmpValue.ObjectId(UpsMibOids.Alarm(UpsWellKnownAlarm.OnBattery)), f.Get(UpsAlarmDescr + ".1"));
        Assert.AreEqual(SnmpValue.TimeTicks(1000), f.Get("1.3.6.1.2.1.33.1.6.2.1.3.1"), "upsAlarmTime is sysUpTime at detection");

        f.Clock.Advance(TimeSpan.FromSeconds(95));
        Assert.AreEqual(SnmpValue.Integer(95), f.Get(UpsSecondsOnBattery));
        f.Writer.SetValue("ups.status", "OB DISCHRG LB");
        Assert.AreEqual(SnmpValue.Integer(3), f.Get(UpsBatteryStatus), "batteryLow");
        Assert.AreEqual(SnmpValue.ObjectId(UpsMibOids.Alarm(UpsWellKnownAlarm.LowBattery)), f.Get(UpsAlarmDescr + ".2"));

        SnmpPdu walk = f.Ask(SnmpVersion.V2c, SnmpPduType.GetNextRequest, UpsAlarmTable);
        Assert.AreEqual(UpsAlarmDescr + ".1", walk.VarBinds[0].Name.ToString());

        f.Writer.SetValue("ups.status", "OL CHRG");
        Assert.AreEqual(SnmpValue.Gauge32(0), f.Get(UpsAlarmsPresent));
        Assert.AreEqual(SnmpValue.Integer(0), f.Get(UpsSecondsOnBattery));
        Assert.AreEqual(SnmpValue.NoSuchInstance, f.Get(UpsAlarmDescr + ".1"));
        Assert.AreEqual(SnmpValue.Counter32(1), f.Get("1.3.6.1.2.1.33.1.3.1.0"), "upsInputLineBads counts the outage");

        f.Writer.SetValue("ups.status", "OB");
        Assert.AreEqual(SnmpValue.ObjectId(UpsMibOids.Alarm(UpsWellKnownAlarm.OnBattery)), f.Get(UpsAlarmDescr + ".3"), "ids keep growing");
    }

    [TestMethod]
    public void Stale_data_reads_as_unknown_battery_and_communications_lost()
    {
        var f = new SnmpAgentFixture();
        f.Writer.MarkStale();
        Assert.AreEqual(SnmpValue.Integer(1), f.Get(UpsBatteryStatus));
        Assert.AreEqual(SnmpValue.ObjectId(UpsMibOids.Alarm(UpsWellKnownAlarm.CommunicationsLost)), f.Get(UpsAlarmDescr + ".1"));
    }

    [TestMethod]
    public void Variables_the_ups_does_not_have_are_absent_not_zero()
    {
        var f = new SnmpAgentFixture();
        Assert.AreEqual(SnmpValue.NoSuchObject, f.Get("1.3.6.1.2.1.33.1.2.6.0"), "no battery.current");
        Assert.AreEqual(SnmpValue.NoSuchObject, f.Get("1.3.6.1.2.1.33.1.9.5.0"), "no ups.power.nominal");
    }

    [TestMethod]
    public void Estimated_minutes_remaining_is_never_zero()
    {
        var f = new SnmpAgentFixture();
        f.Writer.SetValue("battery.runtime", "10");
        Assert.AreEqual(SnmpValue.Integer(1), f.Get(UpsEstimatedMinutesRemaining), "PositiveInteger (RFC 1628)");
    }

    [TestMethod]
    public void Every_ups_mib_row_sits_under_upsMIB_and_no_instance_repeats()
    {
        Assert.IsTrue(UpsMibMap.Rows.All(r => r.Instance.StartsWith(UpsMibOids.UpsMib)));
        Assert.AreEqual(UpsMibMap.Rows.Count, UpsMibMap.Rows.Select(r => r.Instance).Distinct().Count());
    }
}
