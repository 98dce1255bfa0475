namespace UpsAgent.Drivers.Simulated;

/// <summary>A definition file that cannot be read; the message names the file, the line and the problem.</summary>
public sealed class DeviceScriptException : FormatException
{
    public DeviceScriptException(string sourceName, int lineNumber, string problem)
        : base(lineNumber > 0 ? $"{sourceName} line {lineNumber}: {problem}" : $"{sourceName}: {problem}")
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
        Problem = problem;
    }

    public DeviceScriptException(string sourceName, string problem, Exception innerException)
        : base($"{sourceName}: {problem}", innerException)
    {
        SourceName = sourceName;
        Problem = problem;
    }

    public string SourceName { get; } = string.Empty;

    /// <summary>1-based; 0 when the problem concerns the whole file.</summary>
    public int LineNumber { get; }

    public string Problem { get; } = string.Empty;
}
