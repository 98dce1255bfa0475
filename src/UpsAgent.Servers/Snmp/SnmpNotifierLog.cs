using Microsoft.Extensions.Logging;

namespace UpsAgent.Servers.Snmp;

internal static partial class SnmpNotifierLog
{
    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Sending notification {Notification} to {Receivers} receiver(s)")]
    public static partial void Notifying(ILogger logger, string notification, int receivers);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Inform {Notification} to {Receiver} was not acknowledged after {Attempts} attempts")]
    public static partial void InformUnanswered(ILogger logger, string notification, string receiver, int attempts);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Sending a notification to {Receiver} failed: {Problem}")]
    public static partial void SendFailed(ILogger logger, string receiver, string problem);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning, Message = "SNMP engine state file {Path} could not be used ({Problem}); snmpEngineBoots stays {Boots}")]
    public static partial void EngineStateUnavailable(ILogger logger, string path, string problem, int boots);
}
