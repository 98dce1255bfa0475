using UpsAgent.Core.State;

namespace UpsAgent.Core.Tests.State;

[TestClass]
public sealed class UpsStatusTokensTests
{
    [TestMethod]
    [DataRow("OL CHRG", UpsStatus.OnLine | UpsStatus.Charging)]
    [DataRow("OB LB DISCHRG", UpsStatus.OnBattery | UpsStatus.LowBattery | UpsStatus.Discharging)]
    [DataRow("FSD OB LB", UpsStatus.ForcedShutdown | UpsStatus.OnBattery | UpsStatus.LowBattery)]
    [DataRow("ol", UpsStatus.OnLine)]
    [DataRow("OL WEIRD", UpsStatus.OnLine | UpsStatus.Other)]
    [DataRow("", UpsStatus.None)]
    public void Parse_reads_every_token(string text, UpsStatus expected) =>
        Assert.AreEqual(expected, UpsStatusTokens.Parse(text));

    [TestMethod]
    public void Format_uses_the_conventional_driver_order() =>
        Assert.AreEqual("OB LB DISCHRG", UpsStatusTokens.Format(UpsStatus.Discharging | UpsStatus.LowBattery | UpsStatus.OnBattery));

    [TestMethod]
    public void With_adds_and_removes_tokens_keeping_unknown_ones()
    {
        Assert.AreEqual("OB DISCHRG", UpsStatusTokens.With("OL CHRG", UpsStatus.OnBattery | UpsStatus.Discharging, UpsStatus.OnLine | UpsStatus.Charging));
        Assert.AreEqual("OL OFF X1", UpsStatusTokens.With("OL X1", UpsStatus.Off, UpsStatus.None));
        Assert.AreEqual("OL", UpsStatusTokens.With("OL CAL", UpsStatus.None, UpsStatus.Calibrating));
    }

    [TestMethod]
    public void Round_trip_of_every_known_flag()
    {
        foreach (UpsStatus flag in Enum.GetValues<UpsStatus>().Where(f => f is not UpsStatus.None and not UpsStatus.Other))
        {
            Assert.AreEqual(flag, UpsStatusTokens.Parse(UpsStatusTokens.Format(flag)), flag.ToString());
        }
    }
}
