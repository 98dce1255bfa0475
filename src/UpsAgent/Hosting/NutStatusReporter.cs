using UpsAgent.Console.Repl;
using UpsAgent.Servers.Nut;

namespace UpsAgent.Hosting;

/// <summary>The NUT server's part of "status": listeners, connections and logins (upsmon sessions).</summary>
public sealed class NutStatusReporter(NutServer server) : IStatusReporter
{
    public string Name => "nut server";

    public void WriteStatus(TextWriter output)
    {
        NutServerStatus s = server.GetStatus();
        output.WriteLine($"  listening: {(s.Listening ? string.Join(", ", s.Endpoints) : "no")}");
        output.WriteLine($"  connections: {s.OpenConnections} open, {s.AcceptedConnections} accepted, {s.RejectedConnections} rejected over the limit; {s.Requests} requests");
        foreach ((string ups, int logins) in s.LoginsPerUps.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            output.WriteLine($"  {ups}: {logins} upsmon login(s)");
        }

        foreach (NutClientInfo client in s.Clients)
        {
            output.WriteLine($"  client {client}");
        }
    }
}
