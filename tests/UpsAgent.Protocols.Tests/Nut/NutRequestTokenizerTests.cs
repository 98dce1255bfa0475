using System.Buffers;
using System.Text;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Protocols.Tests.Nut;

[TestClass]
public sealed class NutRequestTokenizerTests
{
    /// <summary>Runs the tokenizer over bytes and returns each result with its words.</summary>
    internal static List<(NutTokenizerResult Result, string[] Words)> Tokenize(byte[] input, int chunk = int.MaxValue, NutRequestTokenizer? tokenizer = null)
    {
        tokenizer ??= new NutRequestTokenizer();
        var results = new List<(NutTokenizerResult, string[])>();
        for (int offset = 0; offset < input.Length; offset += chunk)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input, offset, Math.Min(chunk, input.Length - offset)));
            while (true)
            {
                NutTokenizerResult result = tokenizer.Advance(ref reader);
                if (result == NutTokenizerResult.NeedMoreData)
                {
                    break;
                }

                NutRequestLine line = tokenizer.Line;
                results.Add((result, Enumerable.Range(0, line.Count).Select(line.GetString).ToArray()));
                if (result == NutTokenizerResult.LineTooLong)
                {
                    return results;
                }
            }
        }

        return results;
    }

    private static string[] Words(string line)
    {
        var results = Tokenize(Encoding.Latin1.GetBytes(line));
        Assert.HasCount(1, results, $"one line expected from [{line}]");
        Assert.AreEqual(NutTokenizerResult.Line, results[0].Result);
        return results[0].Words;
    }

    [TestMethod]
    public void Words_are_split_on_spaces_tabs_and_carriage_returns()
    {
        CollectionAssert.AreEqual(new[] { "GET", "VAR", "static", "ups.status" }, Words("GET  VAR\tstatic\rups.status\r\n"));
        CollectionAssert.AreEqual(new[] { "a", "b" }, Words("\v a\fb \n"));
    }

    [TestMethod]
    public void A_bare_carriage_return_does_not_end_a_line()
    {
        var results = Tokenize("VER\rNETVER\r"u8.ToArray());
        Assert.IsEmpty(results);
    }

    [TestMethod]
    public void Quotes_make_one_word_and_may_be_empty()
    {
        CollectionAssert.AreEqual(new[] { "SET", "VAR", "ups", "ups.id", "rack b" }, Words("SET VAR ups ups.id \"rack b\"\n"));
        CollectionAssert.AreEqual(new[] { "a", "", "b" }, Words("a \"\" b\n"));
        // A closing quote ends the word at once; what follows starts a new one.
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, Words("\"a\"\"b\"c\n"));
    }

    [TestMethod]
    public void A_quote_inside_a_word_is_an_ordinary_character()
    {
        CollectionAssert.AreEqual(new[] { "a\"b" }, Words("a\"b\n"));
    }

    [TestMethod]
    public void Backslash_escapes_the_next_character_inside_and_outside_quotes()
    {
        CollectionAssert.AreEqual(new[] { "Rack \"B\" #2 \\" }, Words("\"Rack \\\"B\\\" \\#2 \\\\\"\n"));
        CollectionAssert.AreEqual(new[] { "a b#c=d" }, Words("a\\ b\\#c\\=d\n"));
        CollectionAssert.AreEqual(new[] { "\"x" }, Words("\\\"x\n"));
    }

    [TestMethod]
    public void Backslash_before_a_newline_continues_the_line()
    {
        var results = Tokenize("GET VAR st\\\natic ups.status\n"u8.ToArray());
        Assert.HasCount(1, results);
        CollectionAssert.AreEqual(new[] { "GET", "VAR", "static", "ups.status" }, results[0].Words);
    }

    [TestMethod]
    public void An_unquoted_hash_starts_a_comment()
    {
        CollectionAssert.AreEqual(new[] { "GET", "VAR" }, Words("GET VAR # static ups.status\n"));
        CollectionAssert.AreEqual(new[] { "GET", "VAR" }, Words("GET VAR#static\n"));
        Assert.IsEmpty(Words("# only a comment\n"));
    }

    [TestMethod]
    public void An_unquoted_equals_sign_is_a_word_of_its_own()
    {
        CollectionAssert.AreEqual(new[] { "SET", "VAR", "ups", "ups.id", "a", "=", "b" }, Words("SET VAR ups ups.id a=b\n"));
        CollectionAssert.AreEqual(new[] { "=", "=", "x" }, Words("== x\n"));
        CollectionAssert.AreEqual(new[] { "a=b" }, Words("\"a=b\"\n"));
    }

    [TestMethod]
    public void A_hash_inside_quotes_is_a_parse_error_after_which_the_next_line_parses_normally()
    {
        var tokenizer = new NutRequestTokenizer();
        var results = Tokenize("SET VAR static ups.id \"Rack \\\"B\\\" #2\"\nVER\n"u8.ToArray(), tokenizer: tokenizer);
        Assert.AreEqual(NutTokenizerResult.ParseError, results[0].Result);
        // The tokenizer itself carries on after the error; dropping the rest of the read is the server's job.
        Assert.AreEqual(NutTokenizerResult.Line, results[^1].Result);
        CollectionAssert.AreEqual(new[] { "VER" }, results[^1].Words);
    }

    [TestMethod]
    public void An_unbalanced_quote_swallows_following_lines_until_the_next_quote()
    {
        var results = Tokenize("GET VAR static \"ups.status\nVER\nNETVER\" x\nHELP\n"u8.ToArray());
        Assert.HasCount(2, results);
        CollectionAssert.AreEqual(new[] { "GET", "VAR", "static", "ups.statusVERNETVER", "x" }, results[0].Words);
        CollectionAssert.AreEqual(new[] { "HELP" }, results[1].Words);
    }

    [TestMethod]
    public void Control_and_non_ascii_bytes_are_dropped()
    {
        byte[] input = [.. "GET VAR static ups.st"u8, 0x01, .. "at"u8, 0xC3, 0xA9, .. "us\n"u8];
        CollectionAssert.AreEqual(new[] { "GET", "VAR", "static", "ups.status" }, Tokenize(input)[0].Words);
        byte[] delete = [.. "a"u8, 0x7F, .. "b\n"u8];
        Assert.AreEqual("a\u007Fb", Tokenize(delete)[0].Words[0]);
    }

    [TestMethod]
    public void A_dropped_byte_still_starts_a_word()
    {
        byte[] input = [.. "GET VAR static "u8, 0xFF, .. "\n"u8];
        CollectionAssert.AreEqual(new[] { "GET", "VAR", "static", "" }, Tokenize(input)[0].Words);
        byte[] nul = [0x00, .. " VER\n"u8];
        CollectionAssert.AreEqual(new[] { "", "VER" }, Tokenize(nul)[0].Words);
    }

    [TestMethod]
    public void Words_are_cut_at_512_characters()
    {
        string[] words = Words("GET " + new string('x', 2000) + " y\n");
        Assert.HasCount(3, words);
        Assert.AreEqual(new string('x', 512), words[1]);
        Assert.AreEqual("y", words[2]);
    }

    [TestMethod]
    public void Words_beyond_the_32nd_are_dropped()
    {
        string line = string.Join(' ', Enumerable.Range(1, 40).Select(i => "w" + i)) + "\n";
        string[] words = Words(line);
        Assert.HasCount(32, words);
        Assert.AreEqual("w32", words[31]);
    }

    [TestMethod]
    public void Empty_and_blank_lines_have_no_words()
    {
        Assert.IsEmpty(Words("\n"));
        Assert.IsEmpty(Words("  \t\r\n"));
    }

    [TestMethod]
    public void Lines_may_arrive_one_byte_at_a_time()
    {
        byte[] input = "GET VAR \"st\\\"at\" ups.status # c\nLIST UPS\n"u8.ToArray();
        var whole = Tokenize(input);
        var split = Tokenize(input, chunk: 1);
        Assert.HasCount(2, split);
        for (int i = 0; i < whole.Count; i++)
        {
            CollectionAssert.AreEqual(whole[i].Words, split[i].Words);
        }

        CollectionAssert.AreEqual(new[] { "GET", "VAR", "st\"at", "ups.status" }, split[0].Words);
    }

    [TestMethod]
    public void Several_lines_in_one_buffer_come_out_one_by_one()
    {
        var results = Tokenize("VER\nNETVER\n\nHELP\n"u8.ToArray());
        Assert.HasCount(4, results);
        Assert.AreEqual("NETVER", results[1].Words[0]);
        Assert.IsEmpty(results[2].Words);
    }

    [TestMethod]
    public void A_line_longer_than_the_limit_is_reported_and_stays_reported()
    {
        var tokenizer = new NutRequestTokenizer(maxLineBytes: 100);
        byte[] input = Encoding.ASCII.GetBytes(new string('a', 1_000_000));
        var results = Tokenize(input, chunk: 4096, tokenizer: tokenizer);
        Assert.AreEqual(NutTokenizerResult.LineTooLong, results[^1].Result);
        var again = new SequenceReader<byte>(new ReadOnlySequence<byte>("\n"u8.ToArray()));
        Assert.AreEqual(NutTokenizerResult.LineTooLong, tokenizer.Advance(ref again));
    }

    [TestMethod]
    public void A_megabyte_without_newline_keeps_memory_bounded()
    {
        var tokenizer = new NutRequestTokenizer();
        byte[] chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("word ", 800)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 256; i++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(chunk));
            Assert.AreEqual(NutTokenizerResult.NeedMoreData, tokenizer.Advance(ref reader));
        }

        Assert.IsLessThan(64 * 1024, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void Span_and_sequence_entry_points_agree()
    {
        var tokenizer = new NutRequestTokenizer();
        byte[] input = "a b\nc\n"u8.ToArray();
        Assert.AreEqual(NutTokenizerResult.Line, tokenizer.Advance(input, out int consumed));
        Assert.AreEqual(4, consumed);
        Assert.AreEqual(2, tokenizer.Line.Count);
        Assert.AreEqual(NutTokenizerResult.Line, tokenizer.Advance(input.AsSpan(consumed), out consumed));
        Assert.AreEqual("c", tokenizer.Line.GetString(0));
    }

    [TestMethod]
    public void Repeated_words_reuse_their_string()
    {
        var tokenizer = new NutRequestTokenizer();
        Assert.AreEqual(NutTokenizerResult.Line, tokenizer.Advance("GET VAR static x\n"u8, out _));
        string first = tokenizer.Line.GetString(2);
        Assert.AreEqual(NutTokenizerResult.Line, tokenizer.Advance("GET VAR static y\n"u8, out _));
        Assert.AreSame(first, tokenizer.Line.GetString(2));
        Assert.AreEqual("y", tokenizer.Line.GetString(3));
    }

    [TestMethod]
    public void Word_equals_ignores_ascii_case()
    {
        var tokenizer = new NutRequestTokenizer();
        tokenizer.Advance("get Var\n"u8, out _);
        Assert.IsTrue(tokenizer.Line.WordEquals(0, "GET"u8));
        Assert.IsTrue(tokenizer.Line.WordEquals(1, "VAR"u8));
        Assert.IsFalse(tokenizer.Line.WordEquals(2, "VAR"u8));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ = tokenizer.Line[2].Length);
    }
}
