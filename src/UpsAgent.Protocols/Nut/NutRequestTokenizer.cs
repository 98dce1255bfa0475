using System.Buffers;

namespace UpsAgent.Protocols.Nut;

/// <summary>
/// Splits a byte stream into request lines the way upsd does: NUT's parseconf state machine fed
/// one byte at a time (common/parseconf.c, pconf_char). State survives between calls, so a line may
/// arrive in any number of pieces and an unbalanced quote keeps collecting across LFs.
/// </summary>
/// <remarks>
/// Quirks kept on purpose because real clients and upsd agree on them: CR and the other C-locale
/// spaces separate words, only LF ends a line; '\' escapes the next byte in and out of quotes;
/// an unquoted '#' starts a comment; an unquoted '=' is a word of its own; bytes below 0x20 and
/// above 0x7F are dropped (but still start a word); words are cut at 512 characters and words
/// beyond the 32nd are dropped.
/// </remarks>
public sealed class NutRequestTokenizer
{
    private readonly NutRequestLine _line = new();
    private readonly long _maxLineBytes;
    private State _state = State.FindWordStart;
    private bool _lineDone;
    private long _lineBytes;

    /// <param name="maxLineBytes">
    /// Bytes one line may span before <see cref="NutTokenizerResult.LineTooLong"/> (upsd has no such
    /// limit; a server uses it to shed clients that never end a line).
    /// </param>
    public NutRequestTokenizer(long maxLineBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _maxLineBytes = maxLineBytes;
    }

    private enum State
    {
        FindWordStart,
        FindEndOfLine,
        QuoteCollect,
        QuoteLiteral,
        Collect,
        CollectLiteral,
    }

    /// <summary>The words of the line last reported by <see cref="NutTokenizerResult.Line"/>.</summary>
    public NutRequestLine Line => _line;

    /// <summary>
    /// Consumes bytes until a line ends, a parse error occurs or the input runs out. Everything
    /// consumed is remembered, so the caller may release the bytes before <paramref name="reader"/>.
    /// </summary>
    public NutTokenizerResult Advance(ref SequenceReader<byte> reader)
    {
        if (_lineDone)
        {
            _line.Reset();
            _state = State.FindWordStart;
            _lineBytes = 0;
            _lineDone = false;
        }

        while (!reader.End)
        {
            ReadOnlySpan<byte> span = reader.UnreadSpan;
            NutTokenizerResult result = Scan(span, out int consumed);
            reader.Advance(consumed);
            if (result != NutTokenizerResult.NeedMoreData)
            {
                return result;
            }
        }

        return NutTokenizerResult.NeedMoreData;
    }

    /// <summary>Convenience for callers holding one contiguous buffer.</summary>
    public NutTokenizerResult Advance(ReadOnlySpan<byte> input, out int consumed)
    {
        if (_lineDone)
        {
            _line.Reset();
            _state = State.FindWordStart;
            _lineBytes = 0;
            _lineDone = false;
        }

        return Scan(input, out consumed);
    }

    // Steps through the bytes, taking the inside of a plain word (the bulk of every request) as one
    // run instead of byte by byte; the outcome is the same as stepping every byte.
    private NutTokenizerResult Scan(ReadOnlySpan<byte> input, out int consumed)
    {
        int i = 0;
        while (i < input.Length)
        {
            if (_state == State.Collect)
            {
                int run = input[i..].IndexOfAnyExcept(PlainWordBytes);
                if (run < 0)
                {
                    run = input.Length - i;
                }

                if (run > 0 && _lineBytes + run <= _maxLineBytes)
                {
                    _lineBytes += run;
                    int room = NutProtocol.MaxWordLength - _line.CurrentWordLength;
                    _line.Append(input.Slice(i, Math.Clamp(run, 0, Math.Max(room, 0))));
                    i += run;
                    continue;
                }
            }

            NutTokenizerResult? result = Step(input[i]);
            i++;
            if (result is not null)
            {
                consumed = i;
                if (result.Value != NutTokenizerResult.LineTooLong)
                {
                    _lineDone = true;
                }

                return result.Value;
            }
        }

        consumed = input.Length;
        return NutTokenizerResult.NeedMoreData;
    }

    // Bytes that, inside an unquoted word, are simply kept: printable ASCII and DEL except the
    // comment, '=' and escape characters (spaces and control bytes end or leave the run).
    private static readonly SearchValues<byte> PlainWordBytes = SearchValues.Create(
        Enumerable.Range(0x21, 0x7F - 0x21 + 1).Select(b => (byte)b).Where(b => b is not ((byte)'#' or (byte)'=' or (byte)'\\')).ToArray());

    private NutTokenizerResult? Step(byte b)
    {
        if (++_lineBytes > _maxLineBytes)
        {
            return NutTokenizerResult.LineTooLong;
        }

        switch (_state)
        {
            case State.FindWordStart:
                return FindWordStart(b);

            case State.FindEndOfLine:
                return b == (byte)'\n' ? NutTokenizerResult.Line : null;

            case State.QuoteCollect:
                if (b == (byte)'#')
                {
                    // parseconf keeps the partial word, then gives up on the line.
                    _line.EndWord();
                    return NutTokenizerResult.ParseError;
                }

                if (b == (byte)'"')
                {
                    _line.EndWord();
                    _state = State.FindWordStart;
                }
                else if (b == (byte)'\\')
                {
                    _state = State.QuoteLiteral;
                }
                else
                {
                    AddChar(b);
                }

                return null;

            case State.QuoteLiteral:
                if (b != (byte)'\n')
                {
                    AddChar(b);
                }

                _state = State.QuoteCollect;
                return null;

            case State.Collect:
                if (b == (byte)'#')
                {
                    _line.EndWord();
                    _state = State.FindEndOfLine;
                }
                else if (b == (byte)'\n')
                {
                    _line.EndWord();
                    return NutTokenizerResult.Line;
                }
                else if (IsSpace(b))
                {
                    _line.EndWord();
                    _state = State.FindWordStart;
                }
                else if (b == (byte)'=')
                {
                    _line.EndWord();
                    AddChar(b);
                    _line.EndWord();
                    _state = State.FindWordStart;
                }
                else if (b == (byte)'\\')
                {
                    _state = State.CollectLiteral;
                }
                else
                {
                    AddChar(b);
                }

                return null;

            case State.CollectLiteral:
                if (b != (byte)'\n')
                {
                    AddChar(b);
                }

                _state = State.Collect;
                return null;

            default:
                throw new InvalidOperationException($"Tokenizer state {_state} is not handled.");
        }
    }

    private NutTokenizerResult? FindWordStart(byte b)
    {
        if (b == (byte)'\n')
        {
            return NutTokenizerResult.Line;
        }

        if (b == (byte)'#')
        {
            _state = State.FindEndOfLine;
        }
        else if (IsSpace(b))
        {
            // stay
        }
        else if (b == (byte)'\\')
        {
            _state = State.CollectLiteral;
        }
        else if (b == (byte)'"')
        {
            _state = State.QuoteCollect;
        }
        else
        {
            // A dropped byte still starts a word, which may end up empty (as in parseconf).
            AddChar(b);
            if (b == (byte)'=')
            {
                _line.EndWord();
            }
            else
            {
                _state = State.Collect;
            }
        }

        return null;
    }

    // parseconf's addchar: printable ASCII only (CVE-2012-2944), words cut at the length limit.
    private void AddChar(byte b)
    {
        if (b < 0x20 || b > 0x7F)
        {
            return;
        }

        if (_line.CurrentWordLength >= NutProtocol.MaxWordLength)
        {
            return;
        }

        _line.Append(b);
    }

    // isspace() in the C locale; LF is tested before this everywhere it matters.
    private static bool IsSpace(byte b) => b == (byte)' ' || (b >= 0x09 && b <= 0x0D);
}
