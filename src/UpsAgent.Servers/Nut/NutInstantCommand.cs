using UpsAgent.Core.Commands;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// INSTCMD &lt;ups&gt; &lt;cmd&gt; [&lt;param&gt;] (server/netinstcmd.c). Unlike SET, the command's existence is
/// checked before the user's rights, so an unauthorised user learns CMD-NOT-SUPPORTED (as in upsd).
/// </summary>
internal static class NutInstantCommand
{
    public static void Run(NutSession session, NutRequestLine line)
    {
        int args = line.Count - 1;
        if (args < 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        UpsUnit? unit = session.FindUps(line, 1);
        if (unit is null)
        {
            session.WriteError(NutError.UnknownUps);
            return;
        }

        if (!session.CheckAvailable(unit.Current))
        {
            return;
        }

        string requested = line.GetString(2);
        string? command = null;
        foreach (string candidate in unit.Current.Commands)
        {
            if (string.Equals(candidate, requested, StringComparison.OrdinalIgnoreCase))
            {
                command = candidate;
                break;
            }
        }

        if (command is null)
        {
            session.WriteError(NutError.CmdNotSupported);
            return;
        }

        if (!session.Authorize(u => u.AllowsInstantCommand(requested), "INSTCMD " + requested))
        {
            session.WriteError(NutError.AccessDenied);
            return;
        }

        // upsd takes the parameter only when there are exactly three arguments.
        string? parameter = args == 3 ? line.GetString(3) : null;
        Guid? trackingId = session.TrackingEnabled ? session.Server.Tracking.Add() : null;
        NutServerLog.InstantCommand(session.Server.Logger, session.UserName!, session.RemoteAddress, command, parameter ?? string.Empty,
            unit.Name, trackingId is { } logged ? NutTrackingTable.Format(logged) : "disabled");
        if (!NutDriverForwarding.Forward(session, unit, (target, ct) => target.RunInstantCommandAsync(command, parameter, ct), trackingId))
        {
            if (trackingId is { } failed)
            {
                session.Server.Tracking.Complete(failed, CommandOutcome.Failed);
            }

            session.WriteError(NutError.InstcmdFailed);
            return;
        }

        NutSetCommands.WriteOk(session, trackingId);
    }
}
