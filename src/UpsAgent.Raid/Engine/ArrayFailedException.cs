namespace UpsAgent.Raid.Engine;

/// <summary>The array has lost more members than its redundancy: the requested data cannot be produced.</summary>
public sealed class ArrayFailedException : IOException
{
    public ArrayFailedException(string message)
        : base(message)
    {
    }

    public ArrayFailedException()
    {
    }

    public ArrayFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
