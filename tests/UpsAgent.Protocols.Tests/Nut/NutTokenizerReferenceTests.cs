using System.Text;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Protocols.Tests.Nut;

/// <summary>
/// The tokenizer takes the inside of plain words as runs; this checks it against a byte-at-a-time
/// model of parseconf's rules on random input rich in the bytes that matter (quotes, escapes,
/// comments, '=', spaces, control and non-ASCII bytes), whole and in random chunks.
/// </summary>
[TestClass]
public sealed class NutTokenizerReferenceTests
{
    private static readonly byte[] Alphabet =
        "aB.9_-\"\\#= \t\r\n\n\n"u8.ToArray().Concat(new byte[] { 0x00, 0x1F, 0x7F, 0x80, 0xE3, 0xFF }).ToArray();

    [TestMethod]
    public void Runs_of_plain_bytes_give_the_same_lines_as_stepping_every_byte()
    {
        var random = new Random(20261126);
        for (int round = 0; round < 2_000; round++)
        {
            byte[] input = new byte[random.Next(0, 300)];
            for (int i = 0; i < input.Length; i++)
            {
                // Mostly plain letters, so words grow long enough to cross chunk and length limits.
                input[i] = random.Next(4) == 0 ? Alphabet[random.Next(Alphabet.Length)] : (byte)random.Next(0x21, 0x7F);
            }

            long limit = random.Next(3) == 0 ? random.Next(1, 200) : long.MaxValue;
            List<string> expected = Reference(input, limit);
            Assert.AreEqual(string.Join("|", expected), string.Join("|", Tokenize(input, limit, int.MaxValue)), $"round {round}, whole");
            int chunk = random.Next(1, 40);
            Assert.AreEqual(string.Join("|", expected), string.Join("|", Tokenize(input, limit, chunk)), $"round {round}, chunks of {chunk}");
        }
    }

    [TestMethod]
    public void A_long_word_is_cut_at_the_word_limit_across_chunks()
    {
        byte[] input = Encoding.ASCII.GetBytes("SET " + new string('v', 1500) + " x\n");
        List<string> expected = Reference(input, long.MaxValue);
        Assert.AreEqual(string.Join("|", expected), string.Join("|", Tokenize(input, long.MaxValue, 37)));
        StringAssert.Contains(expected[0], "[" + new string('v', NutProtocol.MaxWordLength) + "]");
    }

    private static List<string> Tokenize(byte[] input, long limit, int chunk) =>
        NutRequestTokenizerTests.Tokenize(input, chunk, new NutRequestTokenizer(limit)).Select(r => Describe(r.Result, r.Words)).ToList();

    private static string Describe(NutTokenizerResult result, IEnumerable<string> words) =>
        result + ":" + string.Concat(words.Select(w => "[" + w + "]"));

    // parseconf as a plain state machine, one byte per step.
    private static List<string> Reference(byte[] input, long limit)
    {
        var lines = new List<string>();
        var words = new List<string>();
        var word = new StringBuilder();
        string state = "start";
        long lineBytes = 0;

        void Add(byte b)
        {
            if (b >= 0x20 && b <= 0x7F && word.Length < NutProtocol.MaxWordLength)
            {
                word.Append((char)b);
            }
        }

        void End()
        {
            if (words.Count < NutProtocol.MaxWords)
            {
                words.Add(word.ToString());
            }

            word.Clear();
        }

        void Emit(NutTokenizerResult result)
        {
            lines.Add(Describe(result, words));
            words.Clear();
            word.Clear();
            state = "start";
            lineBytes = 0;
        }

        static bool Space(byte b) => b == ' ' || (b >= 0x09 && b <= 0x0D);

        foreach (byte b in input)
        {
            if (++lineBytes > limit)
            {
                lines.Add(Describe(NutTokenizerResult.LineTooLong, words));
                return lines;
            }

            switch (state)
            {
                case "start":
                    if (b == '\n')
                    {
                        Emit(NutTokenizerResult.Line);
                    }
                    else if (b == '#')
                    {
                        state = "eol";
                    }
                    else if (Space(b))
                    {
                    }
                    else if (b == '\\')
                    {
                        state = "literal";
                    }
                    else if (b == '"')
                    {
                        state = "quote";
                    }
                    else
                    {
                        Add(b);
                        if (b == '=')
                        {
                            End();
                        }
                        else
                        {
                            state = "word";
                        }
                    }

                    break;
                case "eol":
                    if (b == '\n')
                    {
                        Emit(NutTokenizerResult.Line);
                    }

                    break;
                case "quote":
                    if (b == '#')
                    {
                        End();
                        Emit(NutTokenizerResult.ParseError);
                    }
                    else if (b == '"')
                    {
                        End();
                        state = "start";
                    }
                    else if (b == '\\')
                    {
                        state = "quoteliteral";
                    }
                    else
                    {
                        Add(b);
                    }

                    break;
                case "quoteliteral":
                    if (b != '\n')
                    {
                        Add(b);
                    }

                    state = "quote";
                    break;
                case "word":
                    if (b == '#')
                    {
                        End();
                        state = "eol";
                    }
                    else if (b == '\n')
                    {
                        End();
                        Emit(NutTokenizerResult.Line);
                    }
                    else if (Space(b))
                    {
                        End();
                        state = "start";
                    }
                    else if (b == '=')
                    {
                        End();
                        Add(b);
                        End();
                        state = "start";
                    }
                    else if (b == '\\')
                    {
                        state = "literal";
                    }
                    else
                    {
                        Add(b);
                    }

                    break;
                case "literal":
                    if (b != '\n')
                    {
                        Add(b);
                    }

                    state = "word";
                    break;
            }
        }

        return lines;
    }
}
