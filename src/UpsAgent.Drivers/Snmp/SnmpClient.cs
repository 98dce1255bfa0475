using System.Net.Sockets;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// A manager's requests to one agent: one request at a time, resent on timeout with the same
/// request-id, answers matched by request-id so a late answer to an earlier try is harmless.
/// </summary>
public sealed class SnmpClient : IAsyncDisposable
{
    /// <summary>The largest UDP payload over IPv4.</summary>
    private const int MaxDatagram = 65_507;

    /// <summary>A walk stops after this many objects whatever the agent says (a bound on a looping agent).</summary>
    public const int MaxWalkObjects = 100_000;

    private readonly ISnmpTransport _transport;
    private readonly ISnmpMessageModel _model;
    private readonly byte[] _receive = new byte[MaxDatagram];
    private int _nextRequestId = Random.Shared.Next(1, 1 << 30);

    public SnmpClient(ISnmpTransport transport, ISnmpMessageModel model, SnmpClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(model);
        _transport = transport;
        _model = model;
        Options = options ?? new SnmpClientOptions();
        if (Options.Timeout <= TimeSpan.Zero || Options.Retries < 0 || Options.MaxVarBindsPerGet < 1 || Options.MaxRepetitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options, "timeout must be positive, retries not negative, sizes at least 1");
        }
    }

    public SnmpClientOptions Options { get; }

    public SnmpVersion Version => _model.Version;

    public string Peer => _transport.Peer;

    public Task<SnmpPdu> GetAsync(IReadOnlyList<ObjectIdentifier> names, CancellationToken cancellationToken) =>
        RequestAsync(SnmpPduType.GetRequest, WithNulls(names), 0, 0, cancellationToken);

    public Task<SnmpPdu> GetNextAsync(IReadOnlyList<ObjectIdentifier> names, CancellationToken cancellationToken) =>
        RequestAsync(SnmpPduType.GetNextRequest, WithNulls(names), 0, 0, cancellationToken);

    public Task<SnmpPdu> GetBulkAsync(int nonRepeaters, int maxRepetitions, IReadOnlyList<ObjectIdentifier> names, CancellationToken cancellationToken) =>
        Version == SnmpVersion.V1
            ? throw new InvalidOperationException("GetBulk does not exist in SNMPv1 (RFC 3416 section 4.2.3)")
            : RequestAsync(SnmpPduType.GetBulkRequest, WithNulls(names), nonRepeaters, maxRepetitions, cancellationToken);

    /// <summary>Sends one request and waits for its Response, retrying on silence.</summary>
    /// <exception cref="SnmpTimeoutException">No answer to any try.</exception>
    /// <exception cref="SnmpClientException">The agent refused the request for good (SNMPv3 authentication).</exception>
    public async Task<SnmpPdu> RequestAsync(SnmpPduType type, IReadOnlyList<VarBind> varBinds, int errorStatusField, int errorIndexField, CancellationToken cancellationToken)
    {
        int requestId = _nextRequestId;
        _nextRequestId = _nextRequestId == int.MaxValue ? 1 : _nextRequestId + 1;
        var request = new SnmpPdu(type, requestId, errorStatusField, errorIndexField, varBinds);
        int tries = Options.Retries + 1;

        // Resends asked for by the message model (v3 discovery, clock sync) do not use up a try, but are bounded.
        int resends = 0;
        for (int attempt = 0; attempt < tries; attempt++)
        {
            byte[] datagram = _model.Encode(request);
            await _transport.SendAsync(datagram, cancellationToken).ConfigureAwait(false);
            SnmpReceipt receipt = await AwaitAnswerAsync(requestId, cancellationToken).ConfigureAwait(false);
            switch (receipt.Kind)
            {
                case SnmpReceiptKind.Response:
                    return receipt.Pdu!;
                case SnmpReceiptKind.Resend when resends++ < 4:
                    attempt--;
                    break;
                case SnmpReceiptKind.Refused:
                    throw new SnmpClientException($"{Peer} refused the request: {receipt.Problem}");
            }
        }

        throw new SnmpTimeoutException(FormattableString.Invariant(
            $"no answer from {Peer} after {tries} tries of {Options.Timeout.TotalSeconds:0.###} s ({VersionText} {type})"));
    }

    /// <summary>
    /// The values of <paramref name="names"/> that the agent has, asked for a few per GET. Objects
    /// the agent lacks are left out: a v1 noSuchName (or another failure naming a varbind) drops that
    /// object and asks again for the rest; a tooBig answer halves the request.
    /// </summary>
    public async Task<Dictionary<ObjectIdentifier, SnmpValue>> ReadAsync(IReadOnlyList<ObjectIdentifier> names, CancellationToken cancellationToken)
    {
        var values = new Dictionary<ObjectIdentifier, SnmpValue>();
        var pending = new Stack<List<ObjectIdentifier>>();
        foreach (ObjectIdentifier[] chunk in names.Distinct().Chunk(Options.MaxVarBindsPerGet).Reverse())
        {
            pending.Push([.. chunk]);
        }

        // Each round either answers a batch, removes one object from it or halves it, so this ends.
        while (pending.TryPop(out List<ObjectIdentifier>? batch))
        {
            if (batch.Count == 0)
            {
                continue;
            }

            SnmpPdu answer = await GetAsync(batch, cancellationToken).ConfigureAwait(false);
            var status = (SnmpErrorStatus)answer.ErrorStatus;
            if (status == SnmpErrorStatus.NoError)
            {
                int count = Math.Min(batch.Count, answer.VarBinds.Count);
                for (int i = 0; i < count; i++)
                {
                    SnmpValue value = answer.VarBinds[i].Value;
                    if (!value.IsException && value.Type != SnmpType.Null)
                    {
                        values[batch[i]] = value;
                    }
                }
            }
            else if (status == SnmpErrorStatus.TooBig && batch.Count > 1)
            {
                int half = batch.Count / 2;
                pending.Push(batch[half..]);
                pending.Push(batch[..half]);
            }
            else if (answer.ErrorIndex >= 1 && answer.ErrorIndex <= batch.Count)
            {
                batch.RemoveAt(answer.ErrorIndex - 1);
                pending.Push(batch);
            }
            else if (batch.Count > 1)
            {
                // A failure without an index (genErr 0, tooBig of one object): ask for each object alone.
                foreach (ObjectIdentifier name in Enumerable.Reverse(batch))
                {
                    pending.Push([name]);
                }
            }
        }

        return values;
    }

    /// <summary>
    /// Every object under <paramref name="root"/> in order: GetNext for v1 (snmpwalk), GetBulk for
    /// v2c and v3 (snmpbulkwalk). Stops at the end of the subtree, at endOfMibView, or with an
    /// error when the agent answers out of order (which would loop forever).
    /// </summary>
    public async Task<List<VarBind>> WalkAsync(ObjectIdentifier root, CancellationToken cancellationToken)
    {
        var found = new List<VarBind>();
        ObjectIdentifier last = root;
        while (found.Count < MaxWalkObjects)
        {
            SnmpPdu answer = Version == SnmpVersion.V1
                ? await GetNextAsync([last], cancellationToken).ConfigureAwait(false)
                : await GetBulkAsync(0, Options.MaxRepetitions, [last], cancellationToken).ConfigureAwait(false);
            if (answer.ErrorStatus == (int)SnmpErrorStatus.NoSuchName && Version == SnmpVersion.V1)
            {
                // RFC 1157: a v1 agent says noSuchName when nothing follows.
                return found;
            }

            if (answer.ErrorStatus != (int)SnmpErrorStatus.NoError)
            {
                throw new SnmpClientException($"{Peer} answered the walk of {root} after {last} with {(SnmpErrorStatus)answer.ErrorStatus}");
            }

            if (answer.VarBinds.Count == 0)
            {
                return found;
            }

            foreach (VarBind varBind in answer.VarBinds)
            {
                if (varBind.Value.Type == SnmpType.EndOfMibView || !varBind.Name.StartsWith(root) || varBind.Name.Equals(root))
                {
                    return found;
                }

                if (varBind.Name.CompareTo(last) <= 0)
                {
                    throw new SnmpClientException($"{Peer} is not walking forward: {varBind.Name} came after {last}");
                }

                found.Add(varBind);
                last = varBind.Name;
            }
        }

        return found;
    }

    private string VersionText => Version switch
    {
        SnmpVersion.V1 => "v1",
        SnmpVersion.V2c => "v2c",
        _ => "v3",
    };

    private async Task<SnmpReceipt> AwaitAnswerAsync(int requestId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await _transport.ReceiveAsync(_receive, timeout.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // ICMP unreachable from the agent's host: no answer this try. Waiting out the
                    // try keeps a refusing peer from turning the retries into a busy loop.
                    await Task.Delay(Timeout.InfiniteTimeSpan, timeout.Token).ConfigureAwait(false);
                    continue;
                }

                SnmpReceipt receipt = _model.Decode(_receive.AsSpan(0, length), requestId);
                if (receipt.Kind != SnmpReceiptKind.Unrelated)
                {
                    return receipt;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SnmpReceipt.Unrelated;
        }
    }

    private static List<VarBind> WithNulls(IReadOnlyList<ObjectIdentifier> names) =>
        names.Select(n => new VarBind(n, SnmpValue.Null)).ToList();

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
