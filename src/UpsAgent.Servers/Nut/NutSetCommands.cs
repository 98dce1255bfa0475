using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>SET VAR and SET TRACKING (server/netset.c), checks in upsd's order.</summary>
internal static class NutSetCommands
{
    public static void Set(NutSession session, NutRequestLine line)
    {
        int args = line.Count - 1;
        if (args < 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (line.WordEquals(1, "VAR"u8))
        {
            if (args < 4)
            {
                session.WriteError(NutError.InvalidArgument);
                return;
            }

            Variable(session, line);
        }
        else if (line.WordEquals(1, "TRACKING"u8))
        {
            Tracking(session, line);
        }
        else
        {
            session.WriteError(NutError.InvalidArgument);
        }
    }

    private static void Tracking(NutSession session, NutRequestLine line)
    {
        if (line.WordEquals(2, "ON"u8))
        {
            session.TrackingEnabled = true;
        }
        else if (line.WordEquals(2, "OFF"u8))
        {
            session.TrackingEnabled = false;
        }
        else
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        session.WriteLine("OK"u8);
    }

    // UNKNOWN-UPS, availability, ACCESS-DENIED, VAR-NOT-SUPPORTED, then the value checks
    // (READONLY, TOO-LONG, INVALID-VALUE) and the hand-off to the driver.
    private static void Variable(NutSession session, NutRequestLine line)
    {
        UpsUnit? unit = session.FindUps(line, 2);
        if (unit is null)
        {
            session.WriteError(NutError.UnknownUps);
            return;
        }

        UpsState state = unit.Current;
        if (!session.CheckAvailable(state))
        {
            return;
        }

        if (!session.Authorize(static u => u.Allows(NutAction.Set), "SET"))
        {
            session.WriteError(NutError.AccessDenied);
            return;
        }

        UpsVariable? variable = state.Find(line.GetString(3));
        if (variable is null)
        {
            session.WriteError(NutError.VarNotSupported);
            return;
        }

        string value = line.GetString(4);
        NutError? refused = variable.Validate(value) switch
        {
            SetValidation.ReadOnly => NutError.ReadOnly,
            SetValidation.TooLong => NutError.TooLong,
            SetValidation.InvalidValue => NutError.InvalidValue,
            _ => null,
        };
        if (refused is { } error)
        {
            session.WriteError(error);
            return;
        }

        Guid? trackingId = session.TrackingEnabled ? session.Server.Tracking.Add() : null;
        string name = variable.Name;
        NutServerLog.SetVariable(session.Server.Logger, session.UserName!, session.RemoteAddress, name, value, unit.Name,
            trackingId is { } logged ? NutTrackingTable.Format(logged) : "disabled");
        if (!NutDriverForwarding.Forward(session, unit, (target, ct) => target.SetVariableAsync(name, value, ct), trackingId))
        {
            if (trackingId is { } failed)
            {
                session.Server.Tracking.Complete(failed, CommandOutcome.Failed);
            }

            session.WriteError(NutError.SetFailed);
            return;
        }

        WriteOk(session, trackingId);
    }

    internal static void WriteOk(NutSession session, Guid? trackingId)
    {
        if (trackingId is not { } id)
        {
            session.WriteLine("OK"u8);
            return;
        }

        NutReplyLine reply = session.BeginLine();
        reply.Append("OK TRACKING"u8);
        reply.AppendWord(NutTrackingTable.Format(id));
        session.EndLine(ref reply);
    }
}
