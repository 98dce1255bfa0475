namespace UpsAgent.Core.State;

/// <summary>Outcome of checking a SET VAR value against a variable's flags, in upsd's check order.</summary>
public enum SetValidation
{
    Accepted,
    ReadOnly,
    TooLong,
    InvalidValue,
}
