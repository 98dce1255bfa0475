using System.Text.RegularExpressions;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// A raw connection that records every exchange into a shared transcript. Replies are normalised only where
/// two correct servers may differ: the VER banner, server.* values and tracking ids (checked for shape).
/// </summary>
internal sealed partial class TranscriptSession : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(2);

    private readonly NutLineClient _client;
    private readonly string _name;
    private readonly List<TranscriptExchange> _transcript;

    private TranscriptSession(NutLineClient client, string name, List<TranscriptExchange> transcript)
    {
        _client = client;
        _name = name;
        _transcript = transcript;
    }

    /// <summary>The raw (not normalised) reply of the last request, e.g. to reuse a tracking id.</summary>
    public string LastRawReply { get; private set; } = "";

    public static async Task<TranscriptSession> OpenAsync(int port, string name, List<TranscriptExchange> transcript) =>
        new(await NutLineClient.ConnectAsync(port), name, transcript);

    /// <summary>A request answered by one line.</summary>
    public async Task AskAsync(string request, string? shownAs = null)
    {
        await _client.SendLineAsync(request);
        var reply = await ReadAsync();
        LastRawReply = reply;
        Record(shownAs ?? request, [Normalise(request, reply)]);
    }

    /// <summary>A LIST request: every line up to END LIST (or the single ERR), optionally keeping only some items.</summary>
    public async Task AskListAsync(string request, Func<string, bool>? keepItem = null)
    {
        await _client.SendLineAsync(request);
        var lines = new List<string>();
        while (true)
        {
            var reply = await ReadAsync();
            var last = reply.StartsWith("END LIST", StringComparison.Ordinal)
                || (lines.Count == 0 && !reply.StartsWith("BEGIN LIST", StringComparison.Ordinal))
                || reply.StartsWith('(');
            if (last || lines.Count == 0 || keepItem is null || keepItem(reply))
            {
                lines.Add(reply);
            }
            if (last)
            {
                break;
            }
        }
        Record(request, lines);
    }

    /// <summary>Several request lines sent in one write; the replies must come back in order.</summary>
    public async Task PipelineAsync(params string[] requests)
    {
        await _client.SendRawAsync(string.Concat(requests.Select(r => r + "\n")));
        var replies = new List<string>();
        foreach (var request in requests)
        {
            replies.Add(Normalise(request, await ReadAsync()));
        }
        Record(string.Join("\n", requests), replies);
    }

    /// <summary>
    /// Raw text (it may hold several lines, control bytes or unbalanced quotes) and up to
    /// <paramref name="replies"/> reply lines; a missing reply is recorded as "(no reply)".
    /// </summary>
    public async Task SendRawAsync(string raw, int replies, string shownAs)
    {
        await _client.SendRawAsync(raw);
        var lines = new List<string>();
        for (var i = 0; i < replies; i++)
        {
            var reply = await ReadAsync();
            lines.Add(reply);
            if (reply.StartsWith('('))
            {
                break;
            }
        }
        Record(shownAs, lines);
    }

    /// <summary>Records whether the server closed the connection (after LOGOUT it must, at once).</summary>
    public async Task ExpectCloseAsync()
    {
        var closed = await _client.WaitForCloseAsync(ReplyTimeout);
        Record("(after that)", [closed ? "(connection closed)" : "(connection still open)"]);
    }

    /// <summary>Repeats a request until its reply is the expected one or time runs out, recording the last reply.</summary>
    public async Task AskUntilAsync(string request, string expected, TimeSpan timeout, string? shownAs = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        string reply;
        do
        {
            await _client.SendLineAsync(request);
            reply = await ReadAsync();
            if (reply == expected || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(100);
        }
        while (true);
        LastRawReply = reply;
        Record(shownAs ?? request, [reply]);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async Task<string> ReadAsync()
    {
        try
        {
            return await _client.ReadLineAsync(ReplyTimeout) ?? "(connection closed)";
        }
        catch (TimeoutException)
        {
            return "(no reply)";
        }
    }

    private void Record(string request, IReadOnlyList<string> reply)
    {
        lock (_transcript)
        {
            _transcript.Add(new TranscriptExchange(_name, request, reply));
        }
    }

    private static string Normalise(string request, string reply)
    {
        if (request == "VER" && !reply.StartsWith("ERR", StringComparison.Ordinal))
        {
            return "(version banner)";
        }
        if (TrackingReply().Match(reply) is { Success: true } tracking)
        {
            return $"OK TRACKING {(UpperCaseUuid().IsMatch(tracking.Groups[1].Value) ? "(uuid)" : tracking.Groups[1].Value)}";
        }
        return ServerVariable().Replace(reply, "$1\"(server value)\"");
    }

    [GeneratedRegex("^OK TRACKING (.*)$")]
    private static partial Regex TrackingReply();

    // upsd's ids are upper-case UUIDv4 strings.
    [GeneratedRegex("^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$")]
    private static partial Regex UpperCaseUuid();

    [GeneratedRegex("^(VAR \\S+ server\\.(?:version|info) )\".*\"$", RegexOptions.IgnoreCase)]
    private static partial Regex ServerVariable();
}
