using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static UpsAgent.Servers.Transport.Epoll.EpollNative;

namespace UpsAgent.Servers.Transport.Epoll;

/// <summary>
/// One thread waiting in epoll_wait(2) for the sockets registered with it (edge-triggered) and
/// completing their pending receives and sends, so that a request costs one wait shared by every
/// ready client, one recv and one send: the system calls upsd makes, with no extra read that finds
/// the socket empty.
/// </summary>
internal sealed unsafe class EpollLoop : IDisposable
{
    private const int MaxEvents = 256;
    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly Action<Exception> _onError;
    private readonly ConcurrentQueue<GCHandle> _released = new();
    private volatile bool _stopping;
    private int _disposed;

    public EpollLoop(string name, Action<Exception> onError)
    {
        _onError = onError;
        _epoll = EpollCreate(CloseOnExec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        _wake = EventFd(0, CloseOnExec | EventFdNonBlock);
        if (_wake < 0 || Control(_epoll, EpollCtlAdd, _wake, EpollIn, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Close(_epoll);
            if (_wake >= 0)
            {
                Close(_wake);
            }

            throw new IOException($"Setting up the loop's wake-up eventfd failed: errno {errno}.");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Watches <paramref name="fd"/> for <paramref name="channel"/> until <see cref="Unregister"/>.</summary>
    public GCHandle Register(int fd, EpollChannel channel)
    {
        GCHandle handle = GCHandle.Alloc(channel);
        if (Control(_epoll, EpollCtlAdd, fd, EpollIn | EpollOut | EpollRdHup | EpollEt, GCHandle.ToIntPtr(handle)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Free();
            throw new IOException($"epoll_ctl(ADD, {fd}) failed: errno {errno}.");
        }

        return handle;
    }

    /// <summary>
    /// Stops watching <paramref name="fd"/>. The handle is freed by the loop after the batch of events
    /// it may be working through, which can still name the channel.
    /// </summary>
    public void Unregister(int fd, GCHandle handle)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            handle.Free();
            return;
        }

        Control(_epoll, EpollCtlDel, fd, 0, 0);
        _released.Enqueue(handle);
        Wake();
    }

    /// <summary>
    /// Stops the loop. From any other thread it waits for the loop to end; from the loop's own thread
    /// (a continuation that ended the server) it only asks, and the loop ends after its batch.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        Wake();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Wake()
    {
        long one = 1;
        Write(_wake, (byte*)&one, sizeof(long));
    }

    // Entered once and looping for the server's life: compiled fully optimized at once rather than
    // by on-stack replacement of a quick first version.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        int size = EventSize;
        int dataOffset = EventDataOffset;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        try
        {
            while (!_stopping)
            {
                int count = EpollWait(_epoll, events, MaxEvents, -1);
                if (count < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EIntr)
                    {
                        continue;
                    }

                    _onError(new IOException($"epoll_wait failed: errno {errno}; the loop stops."));
                    return;
                }

                for (int i = 0; i < count; i++)
                {
                    byte* ev = events + (i * size);
                    uint mask = *(uint*)ev;
                    nint data = (nint)(*(long*)(ev + dataOffset));
                    if (data == 0)
                    {
                        long drained;
                        Read(_wake, (byte*)&drained, sizeof(long));
                        continue;
                    }

                    try
                    {
                        // Only channels are registered with a non-zero data word.
                        Unsafe.As<EpollChannel>(GCHandle.FromIntPtr(data).Target!).OnEvents(mask);
                    }
                    catch (Exception ex)
                    {
                        // A continuation that threw past its own handlers: report it, keep serving the rest.
                        _onError(ex);
                    }
                }

                FreeReleased();
            }
        }
        finally
        {
            NativeMemory.Free(events);
            FreeReleased();
            Close(_wake);
            Close(_epoll);
        }
    }

    private void FreeReleased()
    {
        while (_released.TryDequeue(out GCHandle handle))
        {
            handle.Free();
        }
    }
}
