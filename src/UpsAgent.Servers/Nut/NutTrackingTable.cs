using System.Buffers.Text;
using System.Collections.Concurrent;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Timing;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// Results of tracked SET VAR / INSTCMD requests, queried with GET TRACKING &lt;id&gt;. Ids are
/// random UUIDv4 in upper case, as upsd prints them; entries live for the retention time and the
/// table never holds more than its cap (oldest dropped first).
/// </summary>
internal sealed class NutTrackingTable(IClock clock, TimeSpan retention, int maxEntries)
{
    private const int Pending = -1;
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentQueue<(Guid Id, TimeSpan AddedAt)> _order = new();
    private readonly object _purgeGate = new();

    public int Count => _entries.Count;

    public Guid Add()
    {
        Purge();
        Guid id = Guid.NewGuid();
        TimeSpan now = clock.Elapsed;
        _entries[id] = new Entry();
        _order.Enqueue((id, now));
        return id;
    }

    public void Complete(Guid id, CommandOutcome outcome)
    {
        if (_entries.TryGetValue(id, out Entry? entry))
        {
            Volatile.Write(ref entry.Status, (int)outcome);
        }
    }

    /// <summary>The GET TRACKING reply for an id as the client wrote it (case-insensitive).</summary>
    public ReadOnlySpan<byte> Lookup(ReadOnlySpan<byte> idWord)
    {
        Purge();
        if (!Utf8Parser.TryParse(idWord, out Guid id, out int consumed, 'D') || consumed != idWord.Length
            || !_entries.TryGetValue(id, out Entry? entry))
        {
            return "ERR UNKNOWN"u8;
        }

        return Volatile.Read(ref entry.Status) switch
        {
            Pending => "PENDING"u8,
            (int)CommandOutcome.Success => "SUCCESS"u8,
            (int)CommandOutcome.InvalidArgument => "ERR INVALID-ARGUMENT"u8,
            (int)CommandOutcome.Failed => "ERR FAILED"u8,
            _ => "ERR UNKNOWN"u8,
        };
    }

    public static string Format(Guid id) => id.ToString("D").ToUpperInvariant();

    private void Purge()
    {
        if (!_order.TryPeek(out var oldest) || (clock.Elapsed - oldest.AddedAt < retention && _order.Count < maxEntries))
        {
            return;
        }

        lock (_purgeGate)
        {
            TimeSpan now = clock.Elapsed;
            while (_order.TryPeek(out var head) && (now - head.AddedAt >= retention || _order.Count >= maxEntries))
            {
                _order.TryDequeue(out _);
                _entries.TryRemove(head.Id, out _);
            }
        }
    }

    private sealed class Entry
    {
        public int Status = Pending;
    }
}
