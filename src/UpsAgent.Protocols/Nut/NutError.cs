namespace UpsAgent.Protocols.Nut;

/// <summary>The words after "ERR " that upsd defines (server/neterr.h); each is spelled once in <see cref="NutErrors"/>.</summary>
public enum NutError
{
    AccessDenied,
    UnknownUps,
    VarNotSupported,
    CmdNotSupported,
    InvalidArgument,
    InstcmdFailed,
    SetFailed,
    ReadOnly,
    TooLong,
    FeatureNotSupported,
    FeatureNotConfigured,
    AlreadySslMode,
    DriverNotConnected,
    DataStale,
    AlreadyLoggedIn,
    InvalidPassword,
    AlreadySetPassword,
    InvalidUsername,
    AlreadySetUsername,
    UsernameRequired,
    PasswordRequired,
    UnknownCommand,
    VarUnknown,
    UnknownType,
    UnknownInstcmd,
    MissingArgument,
    InvalidValue,
}
