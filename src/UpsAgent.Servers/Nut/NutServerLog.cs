using Microsoft.Extensions.Logging;

namespace UpsAgent.Servers.Nut;

internal static partial class NutServerLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Client {Remote} connected")]
    public static partial void Connected(ILogger logger, string remote);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Client {Remote} disconnected")]
    public static partial void Disconnected(ILogger logger, string remote);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Client {Remote} dropped after {IdleSeconds} s without a request")]
    public static partial void IdleTimeout(ILogger logger, string remote, double idleSeconds);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Parse error on request from {Remote}: unescaped # in quotes; rest of the read dropped")]
    public static partial void ParseError(ILogger logger, string remote);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Client {Remote} sent a line longer than {Limit} bytes; closing")]
    public static partial void LineTooLong(ILogger logger, string remote, int limit);

    [LoggerMessage(EventId = 205, Level = LogLevel.Error, Message = "Handling {Request} from {Remote} failed; closing the session")]
    public static partial void HandlerFailed(ILogger logger, string request, string remote, Exception exception);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Connection to {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, string remote, Exception exception);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "TLS handshake with {Remote} failed")]
    public static partial void TlsFailed(ILogger logger, string remote, Exception exception);

    [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "User {User}@{Remote} logged in to UPS {Ups}")]
    public static partial void LoggedIn(ILogger logger, string user, string remote, string ups);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "User {User}@{Remote} set FSD on UPS {Ups}")]
    public static partial void ForcedShutdownSet(ILogger logger, string user, string remote, string ups);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "User {User}@{Remote} set {Variable} to \"{Value}\" on UPS {Ups} (tracking {Tracking})")]
    public static partial void SetVariable(ILogger logger, string user, string remote, string variable, string value, string ups, string tracking);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "User {User}@{Remote} ran {Command} {Parameter} on UPS {Ups} (tracking {Tracking})")]
    public static partial void InstantCommand(ILogger logger, string user, string remote, string command, string parameter, string ups, string tracking);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "Driver of UPS {Ups} failed a forwarded request")]
    public static partial void DriverFailed(ILogger logger, string ups, Exception exception);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "Access denied to {User}@{Remote} for {Right}")]
    public static partial void AccessDenied(ILogger logger, string user, string remote, string right);
}
