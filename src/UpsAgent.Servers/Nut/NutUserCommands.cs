using UpsAgent.Core.Commands;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>USERNAME, PASSWORD, LOGIN, PRIMARY/MASTER and FSD (server/netuser.c, netmisc.c).</summary>
internal static class NutUserCommands
{
    /// <summary>Stored, never validated here; rights are checked when used.</summary>
    public static void UserName(NutSession session, NutRequestLine line)
    {
        if (line.Count != 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (session.UserName is not null)
        {
            session.WriteError(NutError.AlreadySetUsername);
            return;
        }

        session.SetUserName(line.GetString(1));
        session.WriteLine("OK"u8);
    }

    public static void Password(NutSession session, NutRequestLine line)
    {
        if (line.Count != 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (session.Password is not null)
        {
            session.WriteError(NutError.AlreadySetPassword);
            return;
        }

        session.SetPassword(line.GetString(1));
        session.WriteLine("OK"u8);
    }

    /// <summary>One LOGIN per connection; counted in NUMLOGINS until the connection closes.</summary>
    public static void Login(NutSession session, NutRequestLine line)
    {
        if (line.Count != 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (session.LoginUps is not null)
        {
            session.WriteError(NutError.AlreadyLoggedIn);
            return;
        }

        UpsUnit? unit = session.FindUps(line, 1);
        if (unit is null)
        {
            session.WriteError(NutError.UnknownUps);
            return;
        }

        if (!session.Authorize(static u => u.Allows(NutAction.Login), "LOGIN"))
        {
            session.WriteError(NutError.AccessDenied);
            return;
        }

        session.Server.Board.Login(session, unit.Name);
        NutServerLog.LoggedIn(session.Server.Logger, session.UserName!, session.RemoteAddress, unit.Name);
        session.WriteLine("OK"u8);
    }

    public static void Primary(NutSession session, NutRequestLine line)
    {
        if (CheckPrimary(session, line))
        {
            session.WriteLine("OK PRIMARY-GRANTED"u8);
        }
    }

    /// <summary>The pre-2.8.0 name of PRIMARY; same right, its own reply.</summary>
    public static void Master(NutSession session, NutRequestLine line)
    {
        if (CheckPrimary(session, line))
        {
            session.WriteLine("OK MASTER-GRANTED"u8);
        }
    }

    /// <summary>Latches FSD on the UPS until the agent restarts; repeatable.</summary>
    public static void ForcedShutdown(NutSession session, NutRequestLine line)
    {
        if (line.Count != 2)
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

        if (!session.Authorize(static u => u.Allows(NutAction.Fsd), "FSD"))
        {
            session.WriteError(NutError.AccessDenied);
            return;
        }

        NutServerLog.ForcedShutdownSet(session.Server.Logger, session.UserName!, session.RemoteAddress, unit.Name);
        unit.Store.LatchForcedShutdown();
        session.WriteLine("OK FSD-SET"u8);
    }

    // A pure permission check: upsd keeps no state for it.
    private static bool CheckPrimary(NutSession session, NutRequestLine line)
    {
        if (line.Count != 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return false;
        }

        if (session.FindUps(line, 1) is null)
        {
            session.WriteError(NutError.UnknownUps);
            return false;
        }

        if (!session.Authorize(static u => u.Allows(NutAction.Primary), "PRIMARY"))
        {
            session.WriteError(NutError.AccessDenied);
            return false;
        }

        return true;
    }
}
