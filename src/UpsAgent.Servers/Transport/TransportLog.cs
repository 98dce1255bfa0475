using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace UpsAgent.Servers.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Accepting a connection failed ({Error}); retrying")]
    public static partial void AcceptFailed(ILogger logger, SocketError error, Exception exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Connection from {Remote} closed: {Limit} connections already open")]
    public static partial void ConnectionRejected(ILogger logger, EndPoint? remote, int limit);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "A session ended with an unexpected error")]
    public static partial void SessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "A socket event loop hit an unexpected error")]
    public static partial void LoopFailed(ILogger logger, Exception exception);
}
