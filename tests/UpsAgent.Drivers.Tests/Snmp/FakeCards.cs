using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Tests.Snmp;

/// <summary>Cards as the MIBs describe them: an RFC 1628 UPS on line and an APC Smart-UPS, in their own units.</summary>
internal static class FakeCards
{
    public const string Ups = "1.3.6.1.2.1.33.1.";
    public const string PowerNet = "1.3.6.1.4.1.318.1.1.1.";

    /// <summary>230 V, 50 Hz, 85 %, 42 minutes, 54.5 V battery, 1.9 A out, 31 % load.</summary>
    public static FakeSnmpCard Ietf(string sysObjectId = "1.3.6.1.2.1.33", string community = "public") =>
        new FakeSnmpCard(community)
            .Set("1.3.6.1.2.1.1.1.0", "RFC 1628 test card")
            .Set("1.3.6.1.2.1.1.2.0", SnmpValue.ObjectId(ObjectIdentifier.Parse(sysObjectId)))
            .Set("1.3.6.1.2.1.1.4.0", "ops@example.invalid")
            .Set("1.3.6.1.2.1.1.6.0", "rack 4")
            .Set(Ups + "1.1.0", "ACME")
            .Set(Ups + "1.2.0", "SmartOnline 1500")
            .Set(Ups + "1.3.0", "2.1")
            .Set(Ups + "2.1.0", 2)
            .Set(Ups + "2.2.0", 0)
            .Set(Ups + "2.3.0", 42)
            .Set(Ups + "2.4.0", 85)
            .Set(Ups + "2.5.0", 545)
            .Set(Ups + "2.6.0", -12)
            .Set(Ups + "2.7.0", 27)
            .Set(Ups + "3.2.0", 1)
            .Set(Ups + "3.3.1.2.1", 500)
            .Set(Ups + "3.3.1.3.1", 230)
            .Set(Ups + "4.1.0", 3)
            .Set(Ups + "4.2.0", 499)
            .Set(Ups + "4.3.0", 1)
            .Set(Ups + "4.4.1.2.1", 229)
            .Set(Ups + "4.4.1.3.1", 19)
            .Set(Ups + "4.4.1.4.1", 420)
            .Set(Ups + "4.4.1.5.1", 31)
            .Set(Ups + "7.1.0", SnmpValue.ObjectId(ObjectIdentifier.Parse(Ups + "7.7.1")))
            .Set(Ups + "7.3.0", 6)
            .Set(Ups + "9.1.0", 230)
            .Set(Ups + "9.2.0", 500)
            .Set(Ups + "9.5.0", 1500)
            .Set(Ups + "9.6.0", 1350)
            .Set(Ups + "9.7.0", 5)
            .Set(Ups + "9.8.0", 2)
            .Set(Ups + "9.9.0", 180)
            .Set(Ups + "9.10.0", 270);

    /// <summary>A Smart-UPS 1500: 42 minutes as TimeTicks, HighPrec tenths next to the whole-unit objects.</summary>
    public static FakeSnmpCard Apc(string sysObjectId = "1.3.6.1.4.1.318.1.3.2.16") =>
        new FakeSnmpCard()
            .Set("1.3.6.1.2.1.1.1.0", "APC Web/SNMP Management Card")
            .Set("1.3.6.1.2.1.1.2.0", SnmpValue.ObjectId(ObjectIdentifier.Parse(sysObjectId)))
            .Set(PowerNet + "1.1.1.0", "Smart-UPS 1500")
            .Set(PowerNet + "1.1.2.0", "UPS_IDEN")
            .Set(PowerNet + "1.2.1.0", "601.3.I")
            .Set(PowerNet + "1.2.3.0", "AS1234567890")
            .Set(PowerNet + "2.1.1.0", 2)
            .Set(PowerNet + "2.2.1.0", SnmpValue.Gauge32(100))
            .Set(PowerNet + "2.2.2.0", SnmpValue.Gauge32(31))
            .Set(PowerNet + "2.2.3.0", SnmpValue.TimeTicks(252_000))
            .Set(PowerNet + "2.2.4.0", 1)
            .Set(PowerNet + "2.2.8.0", 27)
            .Set(PowerNet + "2.3.1.0", SnmpValue.Gauge32(1000))
            .Set(PowerNet + "2.3.2.0", SnmpValue.Gauge32(312))
            .Set(PowerNet + "2.3.4.0", 273)
            .Set(PowerNet + "3.2.1.0", SnmpValue.Gauge32(230))
            .Set(PowerNet + "3.2.4.0", SnmpValue.Gauge32(50))
            .Set(PowerNet + "3.2.5.0", 1)
            .Set(PowerNet + "3.3.1.0", SnmpValue.Gauge32(2301))
            .Set(PowerNet + "3.3.4.0", SnmpValue.Gauge32(500))
            .Set(PowerNet + "4.1.1.0", 2)
            .Set(PowerNet + "4.2.1.0", SnmpValue.Gauge32(230))
            .Set(PowerNet + "4.2.3.0", SnmpValue.Gauge32(18))
            .Set(PowerNet + "4.3.1.0", SnmpValue.Gauge32(2299))
            .Set(PowerNet + "4.3.3.0", SnmpValue.Gauge32(184))
            .Set(PowerNet + "5.2.8.0", SnmpValue.TimeTicks(12_000))
            .Set(PowerNet + "5.2.9.0", SnmpValue.TimeTicks(0))
            .Set(PowerNet + "5.2.10.0", SnmpValue.TimeTicks(9_000))
            .Set(PowerNet + "7.2.3.0", 1);
}
