namespace UpsAgent.Core.Commands;

/// <summary>
/// The driver side of SET VAR and INSTCMD. Callers have already checked rights and the variable's
/// flags; the driver decides whether the device accepted the change.
/// </summary>
public interface IUpsCommandTarget
{
    ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken);

    ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken);
}
