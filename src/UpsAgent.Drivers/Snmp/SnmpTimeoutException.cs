namespace UpsAgent.Drivers.Snmp;

/// <summary>The agent did not answer any of the tries of one request (a card off the network, a wrong community).</summary>
public sealed class SnmpTimeoutException : SnmpClientException
{
    public SnmpTimeoutException()
    {
    }

    public SnmpTimeoutException(string message)
        : base(message)
    {
    }

    public SnmpTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
