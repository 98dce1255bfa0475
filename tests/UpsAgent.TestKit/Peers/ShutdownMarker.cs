using System.Globalization;

namespace UpsAgent.TestKit.Peers;

/// <summary>
/// The stand-in for a shutdown command: a script that writes the wall-clock time it ran (<c>date +%s.%N</c>)
/// to a marker file and does nothing else, so no test can switch the machine off.
/// </summary>
public static class ShutdownMarker
{
    /// <summary>Writes <c>NAME.sh</c> into the directory; running it writes <c>NAME.marker</c> there. Returns the script path.</summary>
    /// <param name="after">Shell lines run after the marker is written (e.g. <c>sleep 30</c> for a command that hangs).</param>
    public static string WriteScript(string directory, string name, string after = "") =>
        PeerDirectory.WriteScript(directory, $"{name}.sh",
            $"#!/bin/sh\ndate +%s.%N > '{MarkerPath(directory, name)}.tmp' && mv '{MarkerPath(directory, name)}.tmp' '{MarkerPath(directory, name)}'\n{after}\n");

    public static string MarkerPath(string directory, string name) => Path.Combine(directory, $"{name}.marker");

    /// <summary>When the script ran, or null when it has not (yet).</summary>
    public static DateTimeOffset? ReadTime(string markerPath)
    {
        if (!File.Exists(markerPath))
        {
            return null;
        }
        var text = File.ReadAllText(markerPath).Trim();
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : null;
    }
}
