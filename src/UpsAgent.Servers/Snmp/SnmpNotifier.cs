using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// Sends UPS-MIB notifications (RFC 1628 section 5) to the configured receivers, driven by the
/// alarm table as the change feed moves it: upsTrapOnBattery (repeated every minute while on
/// battery), upsTrapAlarmEntryAdded / Removed for the other alarms (not for upsAlarmOnBattery's
/// arrival nor upsAlarmTestInProgress, as the MIB says) and upsTrapTestCompleted when a running test
/// ends. v1 receivers get the RFC 3584 translation; informs are resent until answered, a bounded number of times.
/// </summary>
public sealed class SnmpNotifier : IAsyncDisposable
{
    private static readonly ObjectIdentifier OnBattery = UpsMibOids.Trap(1);
    private static readonly ObjectIdentifier TestCompleted = UpsMibOids.Trap(2);
    private static readonly ObjectIdentifier AlarmEntryAdded = UpsMibOids.Trap(3);
    private static readonly ObjectIdentifier AlarmEntryRemoved = UpsMibOids.Trap(4);

    private readonly SnmpAgentOptions _options;
    private readonly UpsMibView _view;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly byte[] _agentAddress;
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _pendingInforms = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Task> _sending = [];
    private readonly Task _receiving;
    private Task _repeating = Task.CompletedTask;
    private CancellationTokenSource? _repeat;
    private int _requestId;
    private long _sent;
    private long _acknowledged;
    private bool _testRunning;
    private IReadOnlyList<UpsAlarmRow> _previous = [];

    public SnmpNotifier(SnmpAgentOptions options, UpsMibView view, IClock clock, ILogger logger)
    {
        _options = options;
        _view = view;
        _clock = clock;
        _logger = logger;
        _socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        _socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        IPAddress? listen = options.Listen.Select(e => e.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));
        _agentAddress = (listen ?? IPAddress.Any).GetAddressBytes();
        _requestId = Random.Shared.Next(1, int.MaxValue / 2);
        _receiving = Task.Run(() => ReceiveAcknowledgementsAsync(_stop.Token));
    }

    /// <summary>Notifications handed to the network, counting each inform attempt.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Informs a receiver answered.</summary>
    public long InformsAcknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>
    /// Compares the alarm rows with the ones seen last time and notifies what changed. The rows are
    /// remembered here, not taken from before the refresh, because a request may refresh the view first.
    /// </summary>
    public void Observe(IReadOnlyList<UpsAlarmRow> after, UpsState state)
    {
        IReadOnlyList<UpsAlarmRow> before = _previous;
        _previous = after;
        if (_options.TrapReceivers.Count == 0)
        {
            return;
        }

        foreach (UpsAlarmRow row in after.Where(r => !before.Any(b => b.Id == r.Id)))
        {
            if (row.Alarm == UpsWellKnownAlarm.OnBattery)
            {
                Send(OnBattery, OnBatteryObjects());
                StartRepeating();
            }
            else if (row.Alarm != UpsWellKnownAlarm.TestInProgress)
            {
                Send(AlarmEntryAdded, AlarmObjects(row));
            }
        }

        foreach (UpsAlarmRow row in before.Where(r => !after.Any(a => a.Id == r.Id)))
        {
            if (row.Alarm == UpsWellKnownAlarm.OnBattery)
            {
                StopRepeating();
            }

            if (row.Alarm != UpsWellKnownAlarm.TestInProgress)
            {
                Send(AlarmEntryRemoved, AlarmObjects(row));
            }
        }

        bool running = IsTestRunning(state);
        if (_testRunning && !running)
        {
            Send(TestCompleted, TestObjects());
        }

        _testRunning = running;
    }

    private static bool IsTestRunning(UpsState state) =>
        state.Status.HasFlag(UpsStatus.Calibrating)
        || (state.GetValue(NutNames.UpsTestResult) ?? string.Empty).Contains("progress", StringComparison.OrdinalIgnoreCase);

    private List<VarBind> OnBatteryObjects() =>
        Objects(UpsMibOids.UpsBattery.Append(3, 0), UpsMibOids.UpsBattery.Append(2, 0), UpsMibOids.UpsConfig.Append(7, 0));

    private List<VarBind> TestObjects() =>
        Objects([.. Enumerable.Range(1, 6).Select(i => UpsMibOids.UpsTest.Append((uint)i, 0))]);

    /// <summary>upsAlarmId.i (not-accessible, sent as the row's INTEGER id as real UPSes do) and upsAlarmDescr.i.</summary>
    private static List<VarBind> AlarmObjects(UpsAlarmRow row) =>
    [
        new VarBind(UpsMibOids.UpsAlarmEntry.Append(1, row.Id), SnmpValue.Integer((int)row.Id)),
        new VarBind(UpsMibOids.UpsAlarmEntry.Append(2, row.Id), SnmpValue.ObjectId(UpsMibOids.Alarm(row.Alarm))),
    ];

    private List<VarBind> Objects(params ObjectIdentifier[] names)
    {
        MibTree tree = _view.Tree;
        return names.Select(n => new VarBind(n, tree.Get(n))).Where(v => !v.Value.IsException).ToList();
    }

    private void StartRepeating()
    {
        lock (_gate)
        {
            _repeat?.Cancel();
            _repeat = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            CancellationToken token = _repeat.Token;
            _repeating = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await _clock.DelayAsync(_options.OnBatteryRepeat, token).ConfigureAwait(false);
                        Send(OnBattery, OnBatteryObjects());
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);
        }
    }

    private void StopRepeating()
    {
        lock (_gate)
        {
            _repeat?.Cancel();
            _repeat = null;
        }
    }

    private void Send(ObjectIdentifier notification, List<VarBind> objects)
    {
        uint ticks = unchecked((uint)(long)(_view.Uptime.TotalMilliseconds / 10));
        SnmpNotifierLog.Notifying(_logger, notification.ToString(), _options.TrapReceivers.Count);
        foreach (SnmpTrapReceiver receiver in _options.TrapReceivers)
        {
            Task sending = receiver.Kind switch
            {
                SnmpNotificationKind.TrapV1 => SendOnceAsync(receiver, EncodeV1(receiver, ticks, notification, objects)),
                SnmpNotificationKind.TrapV2c => SendOnceAsync(receiver, Encode(receiver, SnmpPduType.SnmpV2Trap, NextRequestId(), ticks, notification, objects)),
                _ => SendInformAsync(receiver, ticks, notification, objects),
            };
            Track(sending);
        }
    }

    private int NextRequestId() => Interlocked.Increment(ref _requestId) & int.MaxValue;

    private byte[] EncodeV1(SnmpTrapReceiver receiver, uint ticks, ObjectIdentifier notification, List<VarBind> objects)
    {
        byte[] buffer = new byte[65_507];
        SnmpTrapV1Pdu trap = SnmpTrapV1Pdu.FromNotification(notification, _agentAddress, ticks, objects);
        return SnmpMessageCodec.TryEncodeTrapV1(Encoding.UTF8.GetBytes(receiver.Community), trap, buffer, out int written) ? buffer[..written] : [];
    }

    private static byte[] Encode(SnmpTrapReceiver receiver, SnmpPduType type, int requestId, uint ticks, ObjectIdentifier notification, List<VarBind> objects)
    {
        // RFC 3416 section 4.2.6: sysUpTime.0 and snmpTrapOID.0 come first.
        List<VarBind> varBinds =
        [
            new VarBind(UpsMibOids.SysUpTimeInstance, SnmpValue.TimeTicks(ticks)),
            new VarBind(UpsMibOids.SnmpTrapOidInstance, SnmpValue.ObjectId(notification)),
            .. objects,
        ];
        return SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, Encoding.UTF8.GetBytes(receiver.Community), new SnmpPdu(type, requestId, 0, 0, varBinds)));
    }

    private async Task SendOnceAsync(SnmpTrapReceiver receiver, byte[] datagram)
    {
        if (datagram.Length == 0)
        {
            return;
        }

        await SendDatagramAsync(receiver, datagram).ConfigureAwait(false);
    }

    /// <summary>RFC 3416 section 4.2.7: the receiver answers an inform with a Response; resend until it does, a bounded number of times.</summary>
    private async Task SendInformAsync(SnmpTrapReceiver receiver, uint ticks, ObjectIdentifier notification, List<VarBind> objects)
    {
        int requestId = NextRequestId();
        byte[] datagram = Encode(receiver, SnmpPduType.InformRequest, requestId, ticks, notification, objects);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingInforms[requestId] = answered;
        try
        {
            for (int attempt = 0; attempt <= _options.InformRetries && !_stop.IsCancellationRequested; attempt++)
            {
                await SendDatagramAsync(receiver, datagram).ConfigureAwait(false);
                try
                {
                    await answered.Task.WaitAsync(_options.InformTimeout, _stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _acknowledged);
                    return;
                }
                catch (TimeoutException)
                {
                }
            }

            SnmpNotifierLog.InformUnanswered(_logger, notification.ToString(), receiver.Endpoint.ToString(), _options.InformRetries + 1);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _pendingInforms.TryRemove(requestId, out _);
        }
    }

    private async Task SendDatagramAsync(SnmpTrapReceiver receiver, byte[] datagram)
    {
        try
        {
            IPEndPoint target = receiver.Endpoint.AddressFamily == AddressFamily.InterNetwork
                ? new IPEndPoint(receiver.Endpoint.Address.MapToIPv6(), receiver.Endpoint.Port)
                : receiver.Endpoint;
            await _socket.SendToAsync(datagram, SocketFlags.None, target, _stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            SnmpNotifierLog.SendFailed(_logger, receiver.Endpoint.ToString(), e.Message);
        }
    }

    private async Task ReceiveAcknowledgementsAsync(CancellationToken stop)
    {
        byte[] buffer = new byte[65_507];
        var remote = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                SocketReceiveFromResult received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, remote, stop).ConfigureAwait(false);
                if (SnmpMessageCodec.TryDecode(buffer.AsSpan(0, received.ReceivedBytes), out SnmpMessage? message, out _)
                    && message.Pdu.Type == SnmpPduType.Response
                    && _pendingInforms.TryGetValue(message.Pdu.RequestId, out TaskCompletionSource? pending))
                {
                    pending.TrySetResult();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a receiver that is not there surfaces here; keep listening.
            }
        }
    }

    private void Track(Task sending)
    {
        lock (_gate)
        {
            _sending.RemoveAll(t => t.IsCompleted);
            _sending.Add(sending);
        }
    }

    /// <summary>Waits until every notification sent so far has gone out (and every inform was answered or gave up).</summary>
    public async Task FlushAsync()
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _sending];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        StopRepeating();
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _sending, _repeating];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
        _stop.Dispose();
    }
}
