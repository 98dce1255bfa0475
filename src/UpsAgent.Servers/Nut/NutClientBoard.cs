namespace UpsAgent.Servers.Nut;

/// <summary>
/// Open sessions in connection order plus per-UPS login counts: what NUMLOGINS and LIST CLIENT
/// read and what the console shows. One lock; all operations are short.
/// </summary>
internal sealed class NutClientBoard
{
    private readonly object _gate = new();
    private readonly List<NutSession> _sessions = [];
    private readonly Dictionary<string, int> _logins = new(StringComparer.OrdinalIgnoreCase);

    public int OpenSessions
    {
        get { lock (_gate) { return _sessions.Count; } }
    }

    public void Register(NutSession session)
    {
        lock (_gate)
        {
            _sessions.Add(session);
        }
    }

    /// <summary>Removes a session and gives back its login, whatever the reason it closed.</summary>
    public void Unregister(NutSession session)
    {
        lock (_gate)
        {
            _sessions.Remove(session);
            if (session.LoginUps is { } ups && _logins.TryGetValue(ups, out int count))
            {
                if (count <= 1)
                {
                    _logins.Remove(ups);
                }
                else
                {
                    _logins[ups] = count - 1;
                }
            }
        }
    }

    public void Login(NutSession session, string upsName)
    {
        lock (_gate)
        {
            session.LoginUps = upsName;
            _logins[upsName] = _logins.GetValueOrDefault(upsName) + 1;
        }
    }

    public int NumLogins(string upsName)
    {
        lock (_gate)
        {
            return _logins.GetValueOrDefault(upsName);
        }
    }

    /// <summary>(UPS name, address) of every session logged in to the UPS, in connection order.</summary>
    public List<(string Ups, string Address)> ClientsOf(string upsName)
    {
        var clients = new List<(string, string)>();
        lock (_gate)
        {
            foreach (NutSession session in _sessions)
            {
                if (session.LoginUps is { } ups && string.Equals(ups, upsName, StringComparison.OrdinalIgnoreCase))
                {
                    clients.Add((ups, session.RemoteAddress));
                }
            }
        }

        return clients;
    }

    public IReadOnlyDictionary<string, int> LoginsSnapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(_logins, StringComparer.OrdinalIgnoreCase);
        }
    }

    public List<NutClientInfo> ClientsSnapshot()
    {
        lock (_gate)
        {
            return _sessions.Select(s => s.Describe()).ToList();
        }
    }
}
