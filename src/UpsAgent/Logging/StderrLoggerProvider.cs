using Microsoft.Extensions.Logging;

namespace UpsAgent.Logging;

/// <summary>
/// Plain log lines on stderr with syslog priority prefixes ("&lt;6&gt;"), which journald turns into
/// levels when the agent runs under systemd; without a journal the prefix is dropped.
/// </summary>
public sealed class StderrLoggerProvider(LogLevel minimum, TextWriter? output = null) : ILoggerProvider
{
    private readonly TextWriter _output = output ?? System.Console.Error;
    private readonly bool _journal = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 };
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this, ShortName(categoryName));

    public void Dispose()
    {
    }

    private static string ShortName(string category)
    {
        int dot = category.LastIndexOf('.');
        return dot >= 0 ? category[(dot + 1)..] : category;
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        string prefix = _journal
            ? level switch
            {
                LogLevel.Critical => "<2>",
                LogLevel.Error => "<3>",
                LogLevel.Warning => "<4>",
                LogLevel.Information => "<6>",
                _ => "<7>",
            }
            : DateTimeOffset.Now.ToString("HH:mm:ss.fff ", System.Globalization.CultureInfo.InvariantCulture);
        string word = level switch
        {
            LogLevel.Critical => "crit",
            LogLevel.Error => "error",
            LogLevel.Warning => "warn",
            LogLevel.Information => "info",
            LogLevel.Debug => "debug",
            _ => "trace",
        };
        lock (_gate)
        {
            _output.WriteLine($"{prefix}{word} {category}: {message}");
            if (exception is not null)
            {
                _output.WriteLine(exception.ToString());
            }

            _output.Flush();
        }
    }

    private sealed class StderrLogger(StderrLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }

    private readonly LogLevel _minimum = minimum;
}
