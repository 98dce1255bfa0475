using System.Collections.Immutable;
using System.Globalization;
using UpsAgent.Core.State;

namespace UpsAgent.Drivers.Gpio;

/// <summary>
/// NUT's generic_gpio rules: <c>STATUS=[^]LINE[&amp;|[^]LINE]...;</c> per status token, e.g.
/// <c>OL=^0;OB=0;LB=3;RB=1;DISCHRG=0&amp;^6;</c>. A term is true when its line reads high (1), or low with
/// <c>^</c>; <c>&amp;</c> and <c>|</c> combine terms from left to right. The UPS's status is the set of
/// tokens whose formula holds.
/// </summary>
public sealed class GpioRules
{
    private readonly ImmutableArray<Rule> _rules;

    private GpioRules(string text, ImmutableArray<Rule> rules)
    {
        Text = text;
        _rules = rules;
        Lines = [.. rules.SelectMany(r => r.Terms.Select(t => t.Line)).Distinct().Order()];
    }

    /// <summary>The rules as written, for driver.parameter.rules.</summary>
    public string Text { get; }

    /// <summary>Every line the rules read, ascending.</summary>
    public ImmutableArray<int> Lines { get; }

    /// <summary>The status tokens the rules can set, in their order.</summary>
    public IEnumerable<string> Tokens => _rules.Select(r => r.Token);

    /// <summary>The status for the given line levels (true = high).</summary>
    public UpsStatus Evaluate(Func<int, bool> isHigh)
    {
        ArgumentNullException.ThrowIfNull(isHigh);
        UpsStatus status = UpsStatus.None;
        foreach (Rule rule in _rules)
        {
            bool value = false;
            for (int i = 0; i < rule.Terms.Length; i++)
            {
                Term term = rule.Terms[i];
                bool termValue = isHigh(term.Line) != term.Inverted;
                value = i == 0 ? termValue : term.Operator == '&' ? value && termValue : value || termValue;
            }

            if (value)
            {
                status |= rule.Flag;
            }
        }

        return status;
    }

    /// <summary>Parses rules; the error names the rule and what is wrong with it.</summary>
    /// <exception cref="FormatException">The text is not rules of that form.</exception>
    public static GpioRules Parse(string text, int maxLine = 1023)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = ImmutableArray.CreateBuilder<Rule>();
        foreach (string raw in text.Split(';'))
        {
            string rule = raw.Trim();
            if (rule.Length == 0)
            {
                continue;
            }

            int equals = rule.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"rule '{rule}' is not STATUS=FORMULA (e.g. OB=0 or OL=^0)");
            }

            string token = rule[..equals].Trim().ToUpperInvariant();
            UpsStatus flag = UpsStatusTokens.Parse(token);
            if (flag is UpsStatus.None or UpsStatus.Other || token.Contains(' ', StringComparison.Ordinal))
            {
                throw new FormatException($"rule '{rule}': '{token}' is not a NUT status token (OL, OB, LB, HB, RB, CHRG, DISCHRG, BYPASS, CAL, OFF, OVER, TRIM, BOOST, ALARM)");
            }

            if (rules.Any(r => r.Flag == flag))
            {
                throw new FormatException($"rule '{rule}': {token} has a rule already");
            }

            rules.Add(new Rule(token, flag, ParseFormula(rule, rule[(equals + 1)..], maxLine)));
        }

        if (rules.Count == 0)
        {
            throw new FormatException("no rules: expected STATUS=FORMULA;... such as OL=^0;OB=0;LB=3;");
        }

        return new GpioRules(text, rules.ToImmutable());
    }

    private static ImmutableArray<Term> ParseFormula(string rule, string formula, int maxLine)
    {
        var terms = ImmutableArray.CreateBuilder<Term>();
        char pendingOperator = '\0';
        int i = 0;
        while (true)
        {
            while (i < formula.Length && formula[i] == ' ')
            {
                i++;
            }

            bool inverted = i < formula.Length && formula[i] == '^';
            if (inverted)
            {
                i++;
            }

            int start = i;
            while (i < formula.Length && char.IsAsciiDigit(formula[i]))
            {
                i++;
            }

            if (i == start)
            {
                throw new FormatException($"rule '{rule}': expected a line number at '{formula[start..]}'");
            }

            if (!int.TryParse(formula.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out int line) || line > maxLine)
            {
                throw new FormatException($"rule '{rule}': line {formula[start..i]} is beyond {maxLine}");
            }

            terms.Add(new Term(line, inverted, pendingOperator));
            while (i < formula.Length && formula[i] == ' ')
            {
                i++;
            }

            if (i == formula.Length)
            {
                return terms.ToImmutable();
            }

            if (formula[i] is not ('&' or '|'))
            {
                throw new FormatException($"rule '{rule}': expected & or | at '{formula[i..]}'");
            }

            pendingOperator = formula[i++];
        }
    }

    private sealed record Rule(string Token, UpsStatus Flag, ImmutableArray<Term> Terms);

    private readonly record struct Term(int Line, bool Inverted, char Operator);
}
