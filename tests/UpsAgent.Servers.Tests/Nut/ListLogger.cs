using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UpsAgent.Servers.Tests.Nut;

/// <summary>Keeps log entries so tests can assert that no handler bug was logged.</summary>
public sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IEnumerable<(LogLevel Level, string Message, Exception? Exception)> Errors =>
        Entries.Where(e => e.Level >= LogLevel.Error);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel) && Entries.Count < 10_000)
        {
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
        }
    }
}
