using System.Collections.Immutable;
using UpsAgent.Core.State;

namespace UpsAgent.Core.Tests.State;

[TestClass]
public sealed class UpsVariableTests
{
    [TestMethod]
    public void Read_only_variables_refuse_any_value() =>
        Assert.AreEqual(SetValidation.ReadOnly, new UpsVariable("driver.name", "x").Validate("y"));

    [TestMethod]
    public void Strings_longer_than_their_limit_are_too_long()
    {
        var v = new UpsVariable("ups.id", "") { Flags = VariableFlags.ReadWrite | VariableFlags.String, MaxLength = 4 };
        Assert.AreEqual(SetValidation.Accepted, v.Validate("abcd"));
        Assert.AreEqual(SetValidation.TooLong, v.Validate("abcde"));
    }

    [TestMethod]
    public void Enum_variables_take_only_listed_values()
    {
        var v = new UpsVariable("input.sensitivity", "low") { Flags = VariableFlags.ReadWrite, EnumValues = ["low", "medium", "high"] };
        Assert.AreEqual(SetValidation.Accepted, v.Validate("high"));
        Assert.AreEqual(SetValidation.InvalidValue, v.Validate("HIGH"));
    }

    [TestMethod]
    public void Range_variables_take_integers_inside_any_range()
    {
        var v = new UpsVariable("ups.delay.shutdown", "20")
        {
            Flags = VariableFlags.ReadWrite,
            Ranges = ImmutableArray.Create(new ValueRange(0, 10), new ValueRange(20, 600)),
        };
        Assert.AreEqual(SetValidation.Accepted, v.Validate("5"));
        Assert.AreEqual(SetValidation.Accepted, v.Validate("600"));
        Assert.AreEqual(SetValidation.InvalidValue, v.Validate("15"));
        Assert.AreEqual(SetValidation.InvalidValue, v.Validate("abc"));
    }
}
