namespace UpsAgent.Drivers.Nut;

/// <summary>
/// A NUT server answered "ERR WORD" (<see cref="Error"/> holds WORD), or the connection failed
/// (<see cref="Error"/> is null). The message names the server and the request.
/// </summary>
public sealed class NutClientException(string message, string? error = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string? Error { get; } = error;
}
