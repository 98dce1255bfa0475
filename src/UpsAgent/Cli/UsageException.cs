namespace UpsAgent.Cli;

/// <summary>The command line itself is wrong; the message says how, and the process exits with 2.</summary>
public sealed class UsageException(string message) : Exception(message);
