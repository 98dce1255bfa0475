using System.Collections.Immutable;
using System.Globalization;

namespace UpsAgent.Core.State;

/// <summary>One NUT variable: its value plus the flags, ENUM list and RANGE list that drivers declare.</summary>
public sealed record UpsVariable(string Name, string Value)
{
    public VariableFlags Flags { get; init; }

    /// <summary>The n of STRING:n; 0 when the variable is not a string.</summary>
    public int MaxLength { get; init; }

    public ImmutableArray<string> EnumValues { get; init; } = ImmutableArray<string>.Empty;

    public ImmutableArray<ValueRange> Ranges { get; init; } = ImmutableArray<ValueRange>.Empty;

    public bool IsWritable => (Flags & VariableFlags.ReadWrite) != 0;

    public bool IsString => (Flags & VariableFlags.String) != 0;

    /// <summary>
    /// Checks a new value the way upsd does before forwarding a SET to the driver:
    /// READONLY, then TOO-LONG against STRING:n, then INVALID-VALUE against ENUM and RANGE lists.
    /// </summary>
    public SetValidation Validate(string value)
    {
        if (!IsWritable)
        {
            return SetValidation.ReadOnly;
        }

        if (IsString && MaxLength > 0 && value.Length > MaxLength)
        {
            return SetValidation.TooLong;
        }

        if (!EnumValues.IsDefaultOrEmpty && !EnumValues.Contains(value, StringComparer.Ordinal))
        {
            return SetValidation.InvalidValue;
        }

        if (!Ranges.IsDefaultOrEmpty)
        {
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number))
            {
                return SetValidation.InvalidValue;
            }

            foreach (ValueRange range in Ranges)
            {
                if (range.Contains(number))
                {
                    return SetValidation.Accepted;
                }
            }

            return SetValidation.InvalidValue;
        }

        return SetValidation.Accepted;
    }
}
