using UpsAgent.Core.State;
using UpsAgent.Drivers.Gpio;

namespace UpsAgent.Drivers.Tests.Gpio;

[TestClass]
public sealed class GpioRulesTests
{
    // NUT's generic_gpio example for a CyberPower CSN27U12V: line 0 on battery, 1 replace battery, 3 low battery, 6 battery missing.
    private const string CyberShield = "OL=^0;OB=0;LB=3;RB=1;DISCHRG=0&^6;BYPASS=6;";

    [TestMethod]
    [DataRow(new int[0], "OL")]
    [DataRow(new[] { 0 }, "OB DISCHRG")]
    [DataRow(new[] { 0, 3 }, "OB LB DISCHRG")]
    [DataRow(new[] { 0, 6 }, "OB BYPASS")]
    [DataRow(new[] { 1 }, "OL RB")]
    [DataRow(new[] { 6 }, "OL BYPASS")]
    public void The_nut_example_rules_give_the_status_of_each_line_combination(int[] high, string status)
    {
        GpioRules rules = GpioRules.Parse(CyberShield);
        Assert.AreEqual(status, UpsStatusTokens.Format(rules.Evaluate(high.Contains)));
        CollectionAssert.AreEqual(new[] { 0, 1, 3, 6 }, rules.Lines.ToArray());
    }

    [TestMethod]
    public void And_and_or_apply_from_left_to_right()
    {
        GpioRules rules = GpioRules.Parse("OB=1|2&^3");
        // ((1 | 2) & !3)
        Assert.AreEqual(UpsStatus.OnBattery, rules.Evaluate(l => l == 1));
        Assert.AreEqual(UpsStatus.OnBattery, rules.Evaluate(l => l == 2));
        Assert.AreEqual(UpsStatus.None, rules.Evaluate(l => l is 1 or 3));
        Assert.AreEqual(UpsStatus.None, rules.Evaluate(_ => false));
    }

    [TestMethod]
    [DataRow("", "no rules")]
    [DataRow("OB", "is not STATUS=FORMULA")]
    [DataRow("ONBATT=0", "'ONBATT' is not a NUT status token")]
    [DataRow("OB=", "expected a line number")]
    [DataRow("OB=x", "expected a line number at 'x'")]
    [DataRow("OB=0&", "expected a line number")]
    [DataRow("OB=0+1", "expected & or | at '+1'")]
    [DataRow("OB=99999", "beyond 1023")]
    [DataRow("OB=0;OB=1", "OB has a rule already")]
    public void Bad_rules_are_refused_with_what_is_wrong(string text, string problem)
    {
        var e = Assert.ThrowsExactly<FormatException>(() => GpioRules.Parse(text));
        StringAssert.Contains(e.Message, problem);
    }
}
