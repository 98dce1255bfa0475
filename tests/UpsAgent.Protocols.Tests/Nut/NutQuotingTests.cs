using System.Text;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Protocols.Tests.Nut;

[TestClass]
public sealed class NutQuotingTests
{
    [TestMethod]
    [DataRow("plain", "plain")]
    [DataRow("Rack \"B\" #2", "Rack \\\"B\\\" \\#2")]
    [DataRow("a\\b", "a\\\\b")]
    [DataRow("", "")]
    public void Escape_puts_a_backslash_before_quote_backslash_and_hash(string value, string escaped)
    {
        Assert.AreEqual(escaped, NutQuoting.Escape(value));
        Assert.AreEqual(value, NutQuoting.Unescape(escaped));
    }

    [TestMethod]
    public void Escaped_values_read_back_through_the_tokenizer()
    {
        string value = "x \"y\" #z \\ w=1";
        var tokenizer = new NutRequestTokenizer();
        byte[] line = Encoding.ASCII.GetBytes("SET VAR u v \"" + NutQuoting.Escape(value) + "\"\n");
        Assert.AreEqual(NutTokenizerResult.Line, tokenizer.Advance(line, out _));
        Assert.AreEqual(value, tokenizer.Line.GetString(4));
    }

    [TestMethod]
    public void Write_escaped_never_splits_an_escape_pair()
    {
        Span<byte> buffer = stackalloc byte[4];
        int written = NutQuoting.WriteEscaped("ab\"c", buffer, out bool complete);
        Assert.IsFalse(complete);
        Assert.AreEqual("ab\\\"", Encoding.ASCII.GetString(buffer[..written]));
        written = NutQuoting.WriteEscaped("abc\"", buffer, out complete);
        Assert.IsFalse(complete);
        Assert.AreEqual("abc", Encoding.ASCII.GetString(buffer[..written]));
    }

    [TestMethod]
    public void Write_escaped_encodes_non_ascii_as_utf8()
    {
        Span<byte> buffer = stackalloc byte[16];
        int written = NutQuoting.WriteEscaped("25°C", buffer, out bool complete);
        Assert.IsTrue(complete);
        Assert.AreEqual("25°C", Encoding.UTF8.GetString(buffer[..written]));
    }
}
