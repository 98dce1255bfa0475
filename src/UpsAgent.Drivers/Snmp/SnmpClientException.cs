namespace UpsAgent.Drivers.Snmp;

/// <summary>An SNMP exchange that gave no usable answer: an agent looping in a walk, an authentication failure.</summary>
public class SnmpClientException : Exception
{
    public SnmpClientException()
    {
    }

    public SnmpClientException(string message)
        : base(message)
    {
    }

    public SnmpClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
