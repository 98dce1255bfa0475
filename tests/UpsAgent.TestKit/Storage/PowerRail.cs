namespace UpsAgent.TestKit.Storage;

/// <summary>
/// Shared by several <see cref="FaultyBlockDevice"/>s: after a budget of writes across all of them the
/// power goes off and every device fails at once, like a machine that lost power mid-write.
/// </summary>
public sealed class PowerRail
{
    private readonly object _gate = new();
    private long _writesLeft = long.MaxValue;

    public bool Off { get; private set; }

    public void CutAfterWrites(long writes)
    {
        lock (_gate)
        {
            _writesLeft = writes;
        }
    }

    /// <summary>Counts one write; false once the power is off.</summary>
    internal bool TryWrite()
    {
        lock (_gate)
        {
            if (Off || _writesLeft-- <= 0)
            {
                Off = true;
                return false;
            }

            return true;
        }
    }
}
