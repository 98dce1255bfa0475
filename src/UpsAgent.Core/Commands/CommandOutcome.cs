namespace UpsAgent.Core.Commands;

/// <summary>
/// What a driver reports for a SET or INSTCMD; the values are NUT's tracking result codes
/// (0 SUCCESS, 1 ERR UNKNOWN, 2 ERR INVALID-ARGUMENT, 3 ERR FAILED).
/// </summary>
public enum CommandOutcome
{
    Success = 0,
    Unknown = 1,
    InvalidArgument = 2,
    Failed = 3,
}
