using System.Diagnostics;
using System.Net.Sockets;

namespace UpsAgent.TestKit.Peers;

/// <summary>Waits until a NUT server answers <c>GET VAR ups ups.status</c> with real data for every UPS.</summary>
internal static class NutReadiness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Returns null when ready, else why not (the server process exited, or time ran out).</summary>
    public static async Task<string?> WaitAsync(int port, IEnumerable<string> upsNames, PeerProcess server)
    {
        var names = upsNames.ToList();
        var clock = Stopwatch.StartNew();
        var last = "never connected";
        while (clock.Elapsed < Timeout)
        {
            if (server.HasExited)
            {
                return $"{server.Label} exited with code {server.ExitCode}";
            }
            try
            {
                await using var client = await NutLineClient.ConnectAsync(port, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                var ready = true;
                foreach (var name in names)
                {
                    last = await client.RequestAsync($"GET VAR {name} ups.status", TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    // upsd shows WAIT until the driver's first dump arrives.
                    if (!last.StartsWith("VAR ", StringComparison.Ordinal) || last.EndsWith("\"WAIT\"", StringComparison.Ordinal))
                    {
                        ready = false;
                        break;
                    }
                }
                if (ready)
                {
                    return null;
                }
            }
            catch (SocketException e)
            {
                last = e.Message;
            }
            catch (TimeoutException e)
            {
                last = e.Message;
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        return $"not ready after {Timeout.TotalSeconds} s; last answer: {last}";
    }

    /// <summary>True if the failure looks like losing the race for the free port to someone else.</summary>
    public static bool LostPortRace(string log) =>
        log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
        || log.Contains("not listening on", StringComparison.OrdinalIgnoreCase);
}
