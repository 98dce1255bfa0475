using System.Text;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// GET TRACKING / NUMLOGINS / UPSDESC / VAR / TYPE / DESC / CMDDESC, with upsd's word-count checks
/// and error order (server/netget.c). Replies echo the UPS and variable names as the client wrote them.
/// </summary>
internal static class NutGetCommands
{
    public static void Get(NutSession session, NutRequestLine line)
    {
        int args = line.Count - 1;
        if (args < 1)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (line.WordEquals(1, "TRACKING"u8))
        {
            Tracking(session, line, args);
            return;
        }

        if (args < 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (line.WordEquals(1, "NUMLOGINS"u8))
        {
            NumLogins(session, line);
            return;
        }

        if (line.WordEquals(1, "UPSDESC"u8))
        {
            UpsDescription(session, line);
            return;
        }

        if (args < 3)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (line.WordEquals(1, "VAR"u8))
        {
            Variable(session, line);
        }
        else if (line.WordEquals(1, "TYPE"u8))
        {
            Type(session, line);
        }
        else if (line.WordEquals(1, "DESC"u8))
        {
            Description(session, line, "DESC"u8, NutDescriptions.Variable);
        }
        else if (line.WordEquals(1, "CMDDESC"u8))
        {
            Description(session, line, "CMDDESC"u8, NutDescriptions.Command);
        }
        else
        {
            session.WriteError(NutError.InvalidArgument);
        }
    }

    private static void Tracking(NutSession session, NutRequestLine line, int args)
    {
        if (args < 2)
        {
            session.WriteLine(session.TrackingEnabled ? "ON"u8 : "OFF"u8);
        }
        else if (session.TrackingEnabled)
        {
            session.WriteLine(session.Server.Tracking.Lookup(line[2]));
        }
        else
        {
            session.WriteError(NutError.FeatureNotConfigured);
        }
    }

    private static void NumLogins(NutSession session, NutRequestLine line)
    {
        if (!session.TryFindAvailable(line, out UpsUnit? unit, out _))
        {
            return;
        }

        NutReplyLine reply = session.BeginLine();
        reply.Append("NUMLOGINS"u8);
        reply.AppendWord(line[2]);
        reply.Append(" "u8);
        reply.AppendNumber(session.Server.Board.NumLogins(unit.Name));
        session.EndLine(ref reply);
    }

    // Works while stale or disconnected, as in upsd.
    private static void UpsDescription(NutSession session, NutRequestLine line)
    {
        UpsUnit? unit = session.FindUps(line, 2);
        if (unit is null)
        {
            session.WriteError(NutError.UnknownUps);
            return;
        }

        string description = unit.Current.Description;
        NutReplyLine reply = session.BeginLine();
        reply.Append("UPSDESC"u8);
        reply.AppendWord(line[2]);
        reply.AppendQuoted(description.Length == 0 ? "Unavailable" : description);
        session.EndLine(ref reply);
    }

    // The hot path of every poller: no allocation once the names are cached by the request line.
    private static void Variable(NutSession session, NutRequestLine line)
    {
        ReadOnlySpan<byte> name = line[3];
        if (name.Length >= 7 && Ascii.EqualsIgnoreCase(name[..7], "server."u8))
        {
            ServerVariable(session, line);
            return;
        }

        if (!session.TryFindVariable(line, out UpsState? state, out UpsVariable? variable))
        {
            return;
        }

        NutReplyLine reply = session.BeginLine();
        reply.Append("VAR"u8);
        reply.AppendWord(line[2]);
        reply.AppendWord(name);
        reply.AppendQuoted(state.GetClientValue(variable));
        session.EndLine(ref reply);
    }

    // server.* is answered before the UPS lookup, for any UPS name, even while stale.
    private static void ServerVariable(NutSession session, NutRequestLine line)
    {
        ReadOnlySpan<byte> name = line[3];
        bool info = Ascii.EqualsIgnoreCase(name, "server.info"u8);
        if (!info && !Ascii.EqualsIgnoreCase(name, "server.version"u8))
        {
            session.WriteError(NutError.VarNotSupported);
            return;
        }

        NutServerOptions options = session.Server.Options;
        NutReplyLine reply = session.BeginLine();
        reply.Append("VAR"u8);
        reply.AppendWord(line[2]);
        reply.AppendWord(info ? "server.info"u8 : "server.version"u8);
        reply.AppendQuoted(info ? options.VersionText : options.ServerVersion);
        session.EndLine(ref reply);
    }

    // Anything without the STRING flag is reported NUMBER, as upsd does.
    private static void Type(NutSession session, NutRequestLine line)
    {
        if (!session.TryFindVariable(line, out _, out UpsVariable? variable))
        {
            return;
        }

        NutReplyLine reply = session.BeginLine();
        reply.Append("TYPE"u8);
        reply.AppendWord(line[2]);
        reply.AppendWord(line[3]);
        if (variable.IsWritable)
        {
            reply.Append(" RW"u8);
        }

        if (!variable.EnumValues.IsDefaultOrEmpty)
        {
            reply.Append(" ENUM"u8);
        }

        if (!variable.Ranges.IsDefaultOrEmpty)
        {
            reply.Append(" RANGE"u8);
        }

        if (variable.IsString)
        {
            reply.Append(" STRING:"u8);
            reply.AppendNumber(variable.MaxLength);
        }
        else
        {
            reply.Append(" NUMBER"u8);
        }

        session.EndLine(ref reply);
    }

    // The name need not exist on the UPS; upsd sends description text unescaped.
    private static void Description(NutSession session, NutRequestLine line, ReadOnlySpan<byte> keyword, Func<string, string> describe)
    {
        if (!session.TryFindAvailable(line, out UpsUnit? unit, out _))
        {
            return;
        }

        NutReplyLine reply = session.BeginLine();
        reply.Append(keyword);
        reply.AppendWord(line[2]);
        reply.AppendWord(line[3]);
        reply.AppendQuotedRaw(describe(line.GetString(3)));
        session.EndLine(ref reply);
    }
}
