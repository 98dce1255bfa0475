namespace UpsAgent.Protocols.Nut;

/// <summary>What <see cref="NutRequestTokenizer.Advance"/> found in the bytes it was given.</summary>
public enum NutTokenizerResult
{
    /// <summary>All input was consumed without completing a line; the partial line is kept.</summary>
    NeedMoreData,

    /// <summary>A line ended; its words are in <see cref="NutRequestTokenizer.Line"/>.</summary>
    Line,

    /// <summary>
    /// An unescaped '#' inside quotes. upsd logs it, sends no reply and drops the rest of the bytes
    /// it read with that line (parseconf's STATE_PARSEERR).
    /// </summary>
    ParseError,

    /// <summary>The current line grew beyond the configured byte limit (our guard, not upsd's).</summary>
    LineTooLong,
}
