using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// LIST UPS / VAR / RW / CMD / CLIENT / ENUM / RANGE (server/netlist.c): BEGIN LIST and END LIST
/// carry the keyword and the names as the client wrote them.
/// </summary>
internal static class NutListCommands
{
    public static void List(NutSession session, NutRequestLine line)
    {
        int args = line.Count - 1;
        if (args < 1)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (line.WordEquals(1, "UPS"u8))
        {
            Ups(session);
            return;
        }

        if (args < 2)
        {
            session.WriteError(NutError.InvalidArgument);
            return;
        }

        if (line.WordEquals(1, "VAR"u8))
        {
            Variables(session, line, "VAR"u8, readWriteOnly: false);
        }
        else if (line.WordEquals(1, "RW"u8))
        {
            Variables(session, line, "RW"u8, readWriteOnly: true);
        }
        else if (line.WordEquals(1, "CMD"u8))
        {
            Commands(session, line);
        }
        else if (line.WordEquals(1, "CLIENT"u8))
        {
            Clients(session, line);
        }
        else if (args < 3)
        {
            session.WriteError(NutError.InvalidArgument);
        }
        else if (line.WordEquals(1, "ENUM"u8))
        {
            EnumValues(session, line);
        }
        else if (line.WordEquals(1, "RANGE"u8))
        {
            Ranges(session, line);
        }
        else
        {
            session.WriteError(NutError.InvalidArgument);
        }
    }

    // Unlike UPSDESC, a missing description reads "Description unavailable" here (as in upsd).
    private static void Ups(NutSession session)
    {
        session.WriteLine("BEGIN LIST UPS"u8);
        foreach (UpsUnit unit in session.Server.Registry.All)
        {
            string description = unit.Current.Description;
            NutReplyLine reply = session.BeginLine();
            reply.Append("UPS"u8);
            reply.AppendWord(unit.Name);
            reply.AppendQuoted(description.Length == 0 ? "Description unavailable" : description);
            session.EndLine(ref reply);
        }

        session.WriteLine("END LIST UPS"u8);
    }

    private static void Variables(NutSession session, NutRequestLine line, ReadOnlySpan<byte> keyword, bool readWriteOnly)
    {
        if (!session.TryFindAvailable(line, out _, out UpsState? state))
        {
            return;
        }

        WriteBoundary(session, "BEGIN LIST "u8, keyword, line[2]);
        foreach (UpsVariable variable in NutVariables.All(state))
        {
            if (readWriteOnly && !variable.IsWritable)
            {
                continue;
            }

            NutReplyLine reply = session.BeginLine();
            reply.Append(keyword);
            reply.AppendWord(line[2]);
            reply.AppendWord(variable.Name);
            // FSD shows in LIST VAR's ups.status but not in LIST RW, as in upsd.
            reply.AppendQuoted(readWriteOnly ? variable.Value : state.GetClientValue(variable));
            session.EndLine(ref reply);
        }

        WriteBoundary(session, "END LIST "u8, keyword, line[2]);
    }

    private static void Commands(NutSession session, NutRequestLine line)
    {
        if (!session.TryFindAvailable(line, out _, out UpsState? state))
        {
            return;
        }

        WriteBoundary(session, "BEGIN LIST "u8, "CMD"u8, line[2]);
        foreach (string command in state.Commands)
        {
            NutReplyLine reply = session.BeginLine();
            reply.Append("CMD"u8);
            reply.AppendWord(line[2]);
            reply.AppendWord(command);
            session.EndLine(ref reply);
        }

        WriteBoundary(session, "END LIST "u8, "CMD"u8, line[2]);
    }

    // Works while stale or disconnected; lists the configured UPS name and each client's address.
    private static void Clients(NutSession session, NutRequestLine line)
    {
        UpsUnit? unit = session.FindUps(line, 2);
        if (unit is null)
        {
            session.WriteError(NutError.UnknownUps);
            return;
        }

        WriteBoundary(session, "BEGIN LIST "u8, "CLIENT"u8, line[2]);
        foreach ((string ups, string address) in session.Server.Board.ClientsOf(unit.Name))
        {
            NutReplyLine reply = session.BeginLine();
            reply.Append("CLIENT"u8);
            reply.AppendWord(ups);
            reply.AppendWord(address);
            session.EndLine(ref reply);
        }

        WriteBoundary(session, "END LIST "u8, "CLIENT"u8, line[2]);
    }

    private static void EnumValues(NutSession session, NutRequestLine line)
    {
        if (!session.TryFindVariable(line, out _, out UpsVariable? variable))
        {
            return;
        }

        WriteBoundary(session, "BEGIN LIST "u8, "ENUM"u8, line[2], line[3]);
        foreach (string value in variable.EnumValues.IsDefault ? [] : variable.EnumValues)
        {
            NutReplyLine reply = session.BeginLine();
            reply.Append("ENUM"u8);
            reply.AppendWord(line[2]);
            reply.AppendWord(line[3]);
            reply.AppendQuoted(value);
            session.EndLine(ref reply);
        }

        WriteBoundary(session, "END LIST "u8, "ENUM"u8, line[2], line[3]);
    }

    private static void Ranges(NutSession session, NutRequestLine line)
    {
        if (!session.TryFindVariable(line, out _, out UpsVariable? variable))
        {
            return;
        }

        WriteBoundary(session, "BEGIN LIST "u8, "RANGE"u8, line[2], line[3]);
        foreach (ValueRange range in variable.Ranges.IsDefault ? [] : variable.Ranges)
        {
            NutReplyLine reply = session.BeginLine();
            reply.Append("RANGE"u8);
            reply.AppendWord(line[2]);
            reply.AppendWord(line[3]);
            reply.Append(" \""u8);
            reply.AppendNumber(range.Minimum);
            reply.Append("\" \""u8);
            reply.AppendNumber(range.Maximum);
            reply.Append("\""u8);
            session.EndLine(ref reply);
        }

        WriteBoundary(session, "END LIST "u8, "RANGE"u8, line[2], line[3]);
    }

    private static void WriteBoundary(NutSession session, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> keyword, ReadOnlySpan<byte> ups)
    {
        NutReplyLine reply = session.BeginLine();
        reply.Append(prefix);
        reply.Append(keyword);
        reply.AppendWord(ups);
        session.EndLine(ref reply);
    }

    private static void WriteBoundary(
        NutSession session, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> keyword, ReadOnlySpan<byte> ups, ReadOnlySpan<byte> variable)
    {
        NutReplyLine reply = session.BeginLine();
        reply.Append(prefix);
        reply.Append(keyword);
        reply.AppendWord(ups);
        reply.AppendWord(variable);
        session.EndLine(ref reply);
    }
}
