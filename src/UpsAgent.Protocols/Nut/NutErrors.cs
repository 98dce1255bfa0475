namespace UpsAgent.Protocols.Nut;

/// <summary>The ERR token table: the one place each wire word is spelled (like server/neterr.h).</summary>
public static class NutErrors
{
    public static ReadOnlySpan<byte> Token(NutError error) => error switch
    {
        NutError.AccessDenied => "ACCESS-DENIED"u8,
        NutError.UnknownUps => "UNKNOWN-UPS"u8,
        NutError.VarNotSupported => "VAR-NOT-SUPPORTED"u8,
        NutError.CmdNotSupported => "CMD-NOT-SUPPORTED"u8,
        NutError.InvalidArgument => "INVALID-ARGUMENT"u8,
        NutError.InstcmdFailed => "INSTCMD-FAILED"u8,
        NutError.SetFailed => "SET-FAILED"u8,
        NutError.ReadOnly => "READONLY"u8,
        NutError.TooLong => "TOO-LONG"u8,
        NutError.FeatureNotSupported => "FEATURE-NOT-SUPPORTED"u8,
        NutError.FeatureNotConfigured => "FEATURE-NOT-CONFIGURED"u8,
        NutError.AlreadySslMode => "ALREADY-SSL-MODE"u8,
        NutError.DriverNotConnected => "DRIVER-NOT-CONNECTED"u8,
        NutError.DataStale => "DATA-STALE"u8,
        NutError.AlreadyLoggedIn => "ALREADY-LOGGED-IN"u8,
        NutError.InvalidPassword => "INVALID-PASSWORD"u8,
        NutError.AlreadySetPassword => "ALREADY-SET-PASSWORD"u8,
        NutError.InvalidUsername => "INVALID-USERNAME"u8,
        NutError.AlreadySetUsername => "ALREADY-SET-USERNAME"u8,
        NutError.UsernameRequired => "USERNAME-REQUIRED"u8,
        NutError.PasswordRequired => "PASSWORD-REQUIRED"u8,
        NutError.UnknownCommand => "UNKNOWN-COMMAND"u8,
        NutError.VarUnknown => "VAR-UNKNOWN"u8,
        NutError.UnknownType => "UNKNOWN-TYPE"u8,
        NutError.UnknownInstcmd => "UNKNOWN-INSTCMD"u8,
        NutError.MissingArgument => "MISSING-ARGUMENT"u8,
        NutError.InvalidValue => "INVALID-VALUE"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Not a NUT error."),
    };

    public static string Name(NutError error) => System.Text.Encoding.ASCII.GetString(Token(error));

    /// <summary>Reads the word of an "ERR WORD [extra]" reply, ignoring ASCII case.</summary>
    public static bool TryParse(ReadOnlySpan<byte> word, out NutError error)
    {
        foreach (NutError candidate in Enum.GetValues<NutError>())
        {
            if (System.Text.Ascii.EqualsIgnoreCase(Token(candidate), word))
            {
                error = candidate;
                return true;
            }
        }

        error = default;
        return false;
    }

    /// <summary>Writes "ERR WORD\n" and returns the byte count.</summary>
    public static int WriteReply(NutError error, Span<byte> destination)
    {
        ReadOnlySpan<byte> token = Token(error);
        "ERR "u8.CopyTo(destination);
        token.CopyTo(destination[4..]);
        destination[4 + token.Length] = (byte)'\n';
        return token.Length + 5;
    }
}
