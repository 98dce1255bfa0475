using Microsoft.Extensions.Logging;

namespace UpsAgent.Servers.Snmp;

internal static partial class SnmpServerLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Answering a datagram from {Remote} failed; it was dropped")]
    public static partial void HandlerFailed(ILogger logger, string remote, Exception exception);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "UDP receive on {Local} failed")]
    public static partial void ReceiveFailed(ILogger logger, string local, Exception exception);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Following the state of UPS {Ups} failed")]
    public static partial void FollowFailed(ILogger logger, string ups, Exception exception);
}
