using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>VER, NETVER/PROTVER, HELP, STARTTLS and LOGOUT (server/netmisc.c, netssl.c, netuser.c).</summary>
internal static class NutMiscCommands
{
    public static void Version(NutSession session, NutRequestLine line)
    {
        if (line.Count != 1)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        NutReplyLine reply = session.BeginLine();
        reply.AppendText(session.Server.Options.VersionText);
        session.EndLine(ref reply);
    }

    public static void NetworkVersion(NutSession session, NutRequestLine line)
    {
        if (line.Count != 1)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        session.WriteLine("1.3"u8);
    }

    public static void Help(NutSession session, NutRequestLine line)
    {
        if (line.Count != 1)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        session.WriteLine("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS"u8);
    }

    /// <summary>Arguments are ignored, as in upsd; the handshake starts after "OK STARTTLS" is flushed.</summary>
    public static void StartTls(NutSession session, NutRequestLine line)
    {
        if (session.IsTls)
        {
            session.WriteError(NutError.AlreadySslMode);
            return;
        }

        if (session.Server.TlsOptions is null)
        {
            session.WriteError(NutError.FeatureNotConfigured);
            return;
        }

        session.WriteLine("OK STARTTLS"u8);
        session.RequestStartTls();
    }

    /// <summary>upsd answers and closes after finishing what it already read.</summary>
    public static void Logout(NutSession session, NutRequestLine line)
    {
        if (line.Count != 1)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        session.WriteLine("OK Goodbye"u8);
        session.RequestClose();
    }
}
