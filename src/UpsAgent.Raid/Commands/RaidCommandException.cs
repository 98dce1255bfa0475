namespace UpsAgent.Raid.Commands;

/// <summary>A command could not run; the message names the file and the problem and is shown as is.</summary>
public sealed class RaidCommandException : Exception
{
    public RaidCommandException(string message)
        : base(message)
    {
    }

    public RaidCommandException()
    {
    }

    public RaidCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
