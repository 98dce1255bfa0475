namespace UpsAgent.Raid.Storage;

/// <summary>
/// Carries out batches of member reads in lanes, one lane per member: a member's reads run in order, as
/// one disk takes them, and the lanes run at the same time, as md reads a window of stripes from every
/// disk at once. Lane 0 runs on the caller and every other lane on a thread of its own (made once, like
/// the work items, so a rebuild step allocates nothing); a lane whose thread has not started it by the
/// time the caller is free is run by the caller.
/// </summary>
public sealed class BlockReadLanes : IDisposable
{
    private readonly Lane[] _lanes;
    private readonly IoThread[] _threads;
    private readonly ManualResetEventSlim _done = new(initialState: true);
    private int _pending;
    private int _started;

    public BlockReadLanes(int maxLanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLanes, 1);
        _lanes = new Lane[maxLanes];
        _threads = new IoThread[maxLanes];
        for (int i = 0; i < maxLanes; i++)
        {
            _lanes[i] = new Lane(this);
        }

        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new IoThread($"read lane {i}");
        }
    }

    public void Dispose()
    {
        foreach (IoThread thread in _threads)
        {
            thread.Dispose();
        }
    }

    /// <summary>
    /// Runs lane i over <paramref name="reads"/>[<paramref name="laneStarts"/>[i]..<paramref name="laneStarts"/>[i+1])
    /// for i below <paramref name="lanes"/>. An <see cref="IOException"/> lands in <paramref name="errors"/> at the
    /// read's index (null when it succeeded) and stops only the rest of its own lane. Returns when every lane is done.
    /// </summary>
    public void Run(BlockRead[] reads, int[] laneStarts, int lanes, IOException?[] errors)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, _lanes.Length);
        if (lanes == 0)
        {
            return;
        }

        if (lanes == 1)
        {
            for (int i = 0; i < lanes; i++)
            {
                RunLane(reads, laneStarts[i], laneStarts[i + 1], errors);
            }

            return;
        }

        // Lane 0 runs here; the others go to their threads and the last one to finish releases the caller.
        _done.Reset();
        Volatile.Write(ref _pending, lanes - 1);
        for (int i = 1; i < lanes; i++)
        {
            _lanes[i].Arm(reads, laneStarts[i], laneStarts[i + 1], errors);
            _threads[i].Post(_lanes[i]);
        }

        RunLane(reads, laneStarts[0], laneStarts[1], errors);
        for (int i = lanes - 1; i >= 1; i--)
        {
            _lanes[i].RunIfNotTaken();
        }

        _done.Wait();
    }

    /// <summary>
    /// Starts every lane on its thread and returns at once (a rebuild reads its next window while the
    /// lock is free); <see cref="WaitStarted"/> ends the batch. Same arguments as <see cref="Run"/>.
    /// </summary>
    public void Start(BlockRead[] reads, int[] laneStarts, int lanes, IOException?[] errors)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, _lanes.Length);
        _started = lanes;
        if (lanes == 0)
        {
            return;
        }

        _done.Reset();
        Volatile.Write(ref _pending, lanes);
        for (int i = 0; i < lanes; i++)
        {
            _lanes[i].Arm(reads, laneStarts[i], laneStarts[i + 1], errors);
            _threads[i].Post(_lanes[i]);
        }
    }

    /// <summary>Returns when every lane of the batch <see cref="Start"/> began is done (running any not yet started).</summary>
    public void WaitStarted()
    {
        if (_started == 0)
        {
            return;
        }

        for (int i = _started - 1; i >= 0; i--)
        {
            _lanes[i].RunIfNotTaken();
        }

        _done.Wait();
        _started = 0;
    }

    private static void RunLane(BlockRead[] reads, int start, int end, IOException?[] errors)
    {
        bool failed = false;
        for (int i = start; i < end; i++)
        {
            errors[i] = null;
            if (failed)
            {
                continue;
            }

            BlockRead read = reads[i];
            try
            {
                read.Device.Read(read.Offset, read.Buffer.AsSpan(read.BufferOffset, read.Length));
            }
            catch (IOException e)
            {
                errors[i] = e;
                failed = true;
            }
            catch (ObjectDisposedException e)
            {
                // The array was closed under a read started outside its lock: a failed read, not a crash.
                errors[i] = new IOException($"{read.Device.Name}: closed during the read", e);
                failed = true;
            }
        }
    }

    private void LaneDone()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.Set();
        }
    }

    // Armed once per batch; whoever takes it first (its thread or the caller) runs it. A posted item
    // that finds its lane taken does nothing, even if it runs during a later batch.
    private sealed class Lane(BlockReadLanes owner) : IThreadPoolWorkItem
    {
        private BlockRead[] _reads = [];
        private IOException?[] _errors = [];
        private int _start;
        private int _end;
        private int _taken = 1;

        public void Arm(BlockRead[] reads, int start, int end, IOException?[] errors)
        {
            _reads = reads;
            _start = start;
            _end = end;
            _errors = errors;
            Volatile.Write(ref _taken, 0);
        }

        public void Execute() => RunIfNotTaken();

        public void RunIfNotTaken()
        {
            if (Interlocked.CompareExchange(ref _taken, 1, 0) != 0)
            {
                return;
            }

            try
            {
                RunLane(_reads, _start, _end, _errors);
            }
            finally
            {
                owner.LaneDone();
            }
        }
    }
}
