using System.Text;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Protocols.Tests.Nut;

[TestClass]
public sealed class NutErrorsTests
{
    [TestMethod]
    public void Every_error_has_a_distinct_token_that_parses_back()
    {
        var seen = new HashSet<string>();
        foreach (NutError error in Enum.GetValues<NutError>())
        {
            string name = NutErrors.Name(error);
            Assert.IsTrue(seen.Add(name), name);
            Assert.IsTrue(NutErrors.TryParse(Encoding.ASCII.GetBytes(name.ToLowerInvariant()), out NutError parsed));
            Assert.AreEqual(error, parsed);
        }

        Assert.HasCount(27, seen);
    }

    [TestMethod]
    public void Write_reply_formats_err_lines()
    {
        byte[] buffer = new byte[64];
        int length = NutErrors.WriteReply(NutError.VarNotSupported, buffer);
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED\n", Encoding.ASCII.GetString(buffer, 0, length));
    }

    [TestMethod]
    public void Unknown_tokens_do_not_parse()
    {
        Assert.IsFalse(NutErrors.TryParse("NOT-AN-ERROR"u8, out _));
    }
}
