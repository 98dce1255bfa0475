using UpsAgent.Core.Commands;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// Hands a SET or INSTCMD to the UPS's driver without waiting for it: upsd's OK only means
/// "forwarded", and the driver's verdict lands in the tracking table when it comes.
/// </summary>
internal static class NutDriverForwarding
{
    /// <summary>False when the driver refused synchronously (upsd: the socket write failed).</summary>
    public static bool Forward(
        NutSession session,
        UpsUnit unit,
        Func<IUpsCommandTarget, CancellationToken, ValueTask<CommandOutcome>> call,
        Guid? trackingId)
    {
        NutServerContext server = session.Server;
        ValueTask<CommandOutcome> pending;
        try
        {
            pending = call(unit.Commands, server.ServerStopping);
        }
        catch (Exception ex)
        {
            NutServerLog.DriverFailed(server.Logger, unit.Name, ex);
            return false;
        }

        if (pending.IsCompletedSuccessfully)
        {
            if (trackingId is { } id)
            {
                server.Tracking.Complete(id, pending.Result);
            }
        }
        else
        {
            _ = ObserveAsync(server, unit.Name, pending, trackingId);
        }

        return true;
    }

    private static async Task ObserveAsync(NutServerContext server, string ups, ValueTask<CommandOutcome> pending, Guid? trackingId)
    {
        CommandOutcome outcome;
        try
        {
            outcome = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException)
            {
                NutServerLog.DriverFailed(server.Logger, ups, ex);
            }

            outcome = CommandOutcome.Failed;
        }

        if (trackingId is { } id)
        {
            server.Tracking.Complete(id, outcome);
        }
    }
}
