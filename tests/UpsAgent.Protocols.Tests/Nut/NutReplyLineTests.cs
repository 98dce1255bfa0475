using System.Text;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Protocols.Tests.Nut;

[TestClass]
public sealed class NutReplyLineTests
{
    [TestMethod]
    public void Builds_a_var_reply()
    {
        byte[] buffer = new byte[NutProtocol.MaxReplyLineBytes];
        var line = new NutReplyLine(buffer);
        line.Append("VAR"u8);
        line.AppendWord("static"u8);
        line.AppendWord("ups.status");
        line.AppendQuoted("OL \"x\"");
        int length = line.Finish();
        Assert.AreEqual("VAR static ups.status \"OL \\\"x\\\"\"\n", Encoding.ASCII.GetString(buffer, 0, length));
    }

    [TestMethod]
    public void An_overlong_line_is_cut_inside_the_value_and_keeps_its_closing_quote_and_newline()
    {
        byte[] buffer = new byte[1024];
        var line = new NutReplyLine(buffer);
        line.Append("VAR"u8);
        line.AppendWord(Encoding.ASCII.GetBytes(new string('u', 300)));
        line.AppendQuoted(new string('#', 400));
        int length = line.Finish();
        Assert.IsTrue(line.Truncated);
        // Escape pairs are never split, so the cut may leave one byte unused.
        Assert.IsGreaterThanOrEqualTo(NutProtocol.MaxReplyLineBytes - 1, length);
        Assert.IsLessThanOrEqualTo(NutProtocol.MaxReplyLineBytes, length);
        string text = Encoding.ASCII.GetString(buffer, 0, length);
        Assert.EndsWith("\"\n", text);
        Assert.DoesNotContain("\\\"", text[..^2].Replace("\\#", string.Empty, StringComparison.Ordinal));
    }

    [TestMethod]
    public void Overlong_echoed_words_are_cut_and_the_line_still_ends_with_a_newline()
    {
        byte[] buffer = new byte[NutProtocol.MaxReplyLineBytes];
        var line = new NutReplyLine(buffer);
        line.Append("DESC"u8);
        line.AppendWord(Encoding.ASCII.GetBytes(new string('a', 512)));
        line.AppendWord(Encoding.ASCII.GetBytes(new string('b', 512)));
        line.AppendQuotedRaw("Description unavailable");
        int length = line.Finish();
        Assert.AreEqual(NutProtocol.MaxReplyLineBytes, length);
        Assert.AreEqual((byte)'\n', buffer[length - 1]);
    }

    [TestMethod]
    public void A_buffer_below_the_line_limit_is_refused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new NutReplyLine(new byte[100]));
    }

    [TestMethod]
    public void Numbers_are_written_in_invariant_form()
    {
        byte[] buffer = new byte[NutProtocol.MaxReplyLineBytes];
        var line = new NutReplyLine(buffer);
        line.Append("NUMLOGINS ups "u8);
        line.AppendNumber(-12);
        Assert.AreEqual("NUMLOGINS ups -12\n", Encoding.ASCII.GetString(buffer, 0, line.Finish()));
    }
}
