using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using UpsAgent.Servers.Transport.Epoll;

namespace UpsAgent.Servers.Tests.Transport;

[TestClass]
public sealed class EpollChannelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // A connected loopback pair: the server side is served by the loop, the client side is plain.
    private sealed class Pair : IDisposable
    {
        public Pair(EpollLoop loop)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Client.Connect(listener.LocalEndPoint!);
            Server = listener.Accept();
            Channel = new EpollChannel(Server, loop);
        }

        public Socket Client { get; }

        public Socket Server { get; }

        public EpollChannel Channel { get; }

        public void Dispose()
        {
            Channel.Dispose();
            Server.Dispose();
            Client.Dispose();
        }
    }

    private static EpollLoop NewLoop() => new("test loop", ex => Assert.Fail($"loop error: {ex}"));

    [TestMethod]
    public async Task A_receive_waits_for_data_that_arrives_later_and_gets_all_of_it()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        var buffer = new byte[64];
        ValueTask<int> pending = pair.Channel.ReceiveAsync(buffer);
        Assert.IsFalse(pending.IsCompleted, "nothing was sent yet");
        pair.Client.Send("VER\n"u8);
        int n = await pending.AsTask().WaitAsync(Patience);
        Assert.AreEqual("VER\n", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
    }

    [TestMethod]
    public async Task Many_request_reply_rounds_lose_no_wake_up()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        var buffer = new byte[16];
        var reply = new byte[1];
        for (int i = 0; i < 2000; i++)
        {
            pair.Client.Send([(byte)(i & 0x7f)]);
            int n = await pair.Channel.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
            Assert.AreEqual(1, n);
            Assert.AreEqual((byte)(i & 0x7f), buffer[0]);
            Assert.AreEqual(1, await pair.Channel.SendAsync(buffer.AsMemory(0, 1)).AsTask().WaitAsync(Patience));
            Assert.AreEqual(1, pair.Client.Receive(reply));
        }
    }

    [TestMethod]
    public async Task A_send_larger_than_the_socket_buffer_waits_for_room_and_delivers_every_byte()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        byte[] data = RandomNumberGenerator.GetBytes(8 << 20);
        Task<byte[]> drain = Task.Run(async () =>
        {
            await Task.Delay(100);
            var received = new MemoryStream();
            var chunk = new byte[65536];
            while (received.Length < data.Length)
            {
                int n = pair.Client.Receive(chunk);
                Assert.AreNotEqual(0, n, "the stream ended early");
                received.Write(chunk, 0, n);
            }

            return received.ToArray();
        });

        int sent = 0;
        int partial = 0;
        while (sent < data.Length)
        {
            int n = await pair.Channel.SendAsync(data.AsMemory(sent)).AsTask().WaitAsync(Patience);
            partial += n < data.Length - sent ? 1 : 0;
            sent += n;
        }

        CollectionAssert.AreEqual(SHA256.HashData(data), SHA256.HashData(await drain.WaitAsync(Patience)));
        Assert.IsGreaterThan(0, partial, "8 MiB should not fit the loopback buffers at once");
    }

    [TestMethod]
    public async Task Cancel_completes_a_pending_receive_and_the_next_receive_works()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        var buffer = new byte[16];
        ValueTask<int> pending = pair.Channel.ReceiveAsync(buffer);
        pair.Channel.CancelReceive();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await pending.AsTask().WaitAsync(Patience));
        pair.Client.Send("x"u8);
        Assert.AreEqual(1, await pair.Channel.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));
    }

    [TestMethod]
    public async Task A_cancel_with_nothing_pending_ends_the_next_receive_once_unless_cleared()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        var buffer = new byte[16];
        pair.Client.Send("ab"u8);
        pair.Channel.CancelReceive();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await pair.Channel.ReceiveAsync(buffer));
        Assert.AreEqual(2, await pair.Channel.ReceiveAsync(buffer).AsTask().WaitAsync(Patience), "the data waiting before the cancel is still there");

        pair.Channel.CancelReceive();
        pair.Channel.ClearReceiveCancel();
        pair.Client.Send("c"u8);
        Assert.AreEqual(1, await pair.Channel.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));
    }

    [TestMethod]
    public async Task The_peer_closing_ends_a_pending_receive_with_zero()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        var buffer = new byte[16];
        ValueTask<int> pending = pair.Channel.ReceiveAsync(buffer);
        pair.Client.Shutdown(SocketShutdown.Send);
        Assert.AreEqual(0, await pending.AsTask().WaitAsync(Patience));
    }

    [TestMethod]
    public async Task A_reset_peer_fails_the_send_with_a_socket_error()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();
        await Task.Delay(50);
        var data = new byte[4096];
        var error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await pair.Channel.SendAsync(data);
            }
        });
        Assert.AreEqual(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [TestMethod]
    public async Task After_the_channel_is_disposed_the_runtime_can_use_the_socket_again()
    {
        using EpollLoop loop = NewLoop();
        using var pair = new Pair(loop);
        pair.Channel.Dispose();
        pair.Client.Send("tls"u8);
        var buffer = new byte[8];
        int n = await pair.Server.ReceiveAsync(buffer).WaitAsync(Patience);
        Assert.AreEqual("tls", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
    }

    [TestMethod]
    public async Task Clients_on_one_loop_are_served_concurrently()
    {
        using EpollLoop loop = NewLoop();
        var pairs = Enumerable.Range(0, 20).Select(_ => new Pair(loop)).ToArray();
        try
        {
            var buffers = pairs.Select(_ => new byte[8]).ToArray();
            var pending = pairs.Select((p, i) => p.Channel.ReceiveAsync(buffers[i]).AsTask()).ToArray();
            for (int i = pairs.Length - 1; i >= 0; i--)
            {
                pairs[i].Client.Send([(byte)i]);
            }

            int[] counts = await Task.WhenAll(pending).WaitAsync(Patience);
            for (int i = 0; i < pairs.Length; i++)
            {
                Assert.AreEqual(1, counts[i]);
                Assert.AreEqual((byte)i, buffers[i][0]);
            }
        }
        finally
        {
            foreach (Pair p in pairs)
            {
                p.Dispose();
            }
        }
    }
}
