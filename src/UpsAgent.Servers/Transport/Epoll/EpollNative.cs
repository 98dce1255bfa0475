using System.Runtime.InteropServices;

namespace UpsAgent.Servers.Transport.Epoll;

/// <summary>The few libc calls the epoll transport needs (epoll(7), eventfd(2), recv(2), send(2)).</summary>
internal static unsafe partial class EpollNative
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEt = 1u << 31;
    public const int CloseOnExec = 0x80000;
    public const int EventFdNonBlock = 0x800;
    public const int MsgDontWait = 0x40;
    public const int MsgNoSignal = 0x4000;
    public const int EAgain = 11;
    public const int EIntr = 4;

    // struct epoll_event is packed on x86-64 only (the kernel's EPOLL_PACKED): 12 bytes there, 16 with
    // the data word 8-aligned everywhere else (arm64, arm).
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    public static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* epollEvent);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    // Never blocks (MSG_DONTWAIT) and takes a few microseconds on loopback, so the runtime's GC-mode
    // switch around it, a measurable part of a small request, is left out. Without that switch no
    // runtime code runs between the call and its caller, so the caller reads errno itself
    // (Marshal.GetLastSystemError) only on failure instead of the stub saving it on every call.
    [LibraryImport("libc", EntryPoint = "recv")]
    [SuppressGCTransition]
    public static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    // As recv: no GC-mode switch, errno read by the caller on failure.
    [LibraryImport("libc", EntryPoint = "send")]
    [SuppressGCTransition]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static int Control(int epfd, int op, int fd, uint events, nint data)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(long*)(ev + EventDataOffset) = data;
        return EpollCtl(epfd, op, fd, ev);
    }
}
