using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Nut;
using UpsAgent.Servers.Transport;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// One NUT client: reads request lines, dispatches them through <see cref="NutVerbTable"/> and
/// writes replies in order. Everything that upsd keeps per client (USERNAME, PASSWORD, LOGIN,
/// TRACKING, TLS) lives here. Requests are handled synchronously on the read loop; replies of all
/// requests found in one read go out with one flush.
/// </summary>
internal sealed class NutSession
{
    private const int ReceiveBufferBytes = 4096;
    private readonly IConnection _connection;
    private readonly NutServerContext _server;
    private readonly NutRequestTokenizer _tokenizer;
    private PipeWriter _output;
    private long _unflushed;
    private long _lastHeardTicks;
    private long _requests;
    private readonly CancellationTokenSource _stopped = new();
    private volatile bool _stopping;
    private bool _closeRequested;
    private bool _startTlsRequested;

    // The last rights check: the password cannot change within a session, so a (possibly costly)
    // hash verification is done once per user, not per request.
    private NutUser? _checkedUser;
    private bool _checkedUserPasswordOk;
    private Task<bool>? _pendingPasswordCheck;

    // The last lookups (see FindUps and TryFindVariable).
    private string? _lastUpsName;
    private UpsUnit? _lastUnit;
    private UpsState? _lastVariableState;
    private string? _lastVariableName;
    private UpsVariable? _lastVariable;
    private NutUser? _pendingPasswordUser;

    public NutSession(IConnection connection, NutServerContext server)
    {
        _connection = connection;
        _server = server;
        _tokenizer = new NutRequestTokenizer(server.Options.MaxRequestLineBytes);
        _output = connection.Transport.Output;
        RemoteAddress = FormatAddress(connection.RemoteEndPoint);
        ConnectedAt = server.Clock.UtcNow;
    }

    public string RemoteAddress { get; }

    public DateTimeOffset ConnectedAt { get; }

    public string? UserName { get; private set; }

    public string? Password { get; private set; }

    /// <summary>The configured name of the UPS this client did LOGIN on (set under the board's lock).</summary>
    public string? LoginUps { get; set; }

    public bool TrackingEnabled { get; set; }

    public bool IsTls => _connection.IsTls;

    internal NutServerContext Server => _server;

    public NutClientInfo Describe() =>
        new(RemoteAddress, UserName, LoginUps, IsTls, TrackingEnabled, ConnectedAt, Interlocked.Read(ref _requests));

    public async Task RunAsync(CancellationToken stopping)
    {
        _server.Board.Register(this);
        NutServerLog.Connected(_server.Logger, RemoteAddress);
        Volatile.Write(ref _lastHeardTicks, _server.Clock.Elapsed.Ticks);
        using var idleStop = new CancellationTokenSource();
        Task idle = WatchIdleAsync(idleStop.Token);
        CancellationTokenRegistration onStop = stopping.Register(static s => ((NutSession)s!).Stop(), this);
        try
        {
            await ServeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer vanished mid-read or mid-write, or the server is stopping: a normal end.
            NutServerLog.ConnectionFailed(_server.Logger, RemoteAddress, ex);
        }
        catch (Exception ex)
        {
            NutServerLog.HandlerFailed(_server.Logger, "the session", RemoteAddress, ex);
        }
        finally
        {
            await onStop.DisposeAsync().ConfigureAwait(false);
            await idleStop.CancelAsync().ConfigureAwait(false);
            await idle.ConfigureAwait(false);
            _stopped.Dispose();
            _server.Board.Unregister(this);
            _server.CountRequests(Interlocked.Read(ref _requests));
            NutServerLog.Disconnected(_server.Logger, RemoteAddress);
        }
    }

    // Called from the idle watch or on server stop, on another thread than the read loop.
    private void Stop()
    {
        _stopping = true;
        try
        {
            _stopped.Cancel();
            IDuplexPipe transport = _connection.Transport;
            transport.Input.CancelPendingRead();
            transport.Output.CancelPendingFlush();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The session is already winding down.
        }
    }

    // upsd drops a client when "now - last_heard > 60" on whole seconds, so never before 61 s;
    // cutting at exactly 60 s would drop every 60 s poller (Home Assistant) at the boundary.
    private static readonly TimeSpan IdleGrace = TimeSpan.FromSeconds(1);

    private async Task WatchIdleAsync(CancellationToken cancellationToken)
    {
        TimeSpan limit = _server.Options.IdleTimeout + IdleGrace;
        try
        {
            while (true)
            {
                TimeSpan idleFor = _server.Clock.Elapsed - TimeSpan.FromTicks(Volatile.Read(ref _lastHeardTicks));
                if (idleFor >= limit)
                {
                    NutServerLog.IdleTimeout(_server.Logger, RemoteAddress, idleFor.TotalSeconds);
                    Stop();
                    return;
                }

                await _server.Clock.DelayAsync(limit - idleFor, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync()
    {
        // A plain socket is read straight from its channel: the tokenizer keeps partial lines itself,
        // so a read buffer never has to hold bytes over, and one await per request is all it costs.
        if (_connection is SocketConnection { PlainChannel: { } channel } && !await ServeChannelAsync(channel).ConfigureAwait(false))
        {
            return;
        }

        while (!_stopping)
        {
            PipeReader input = _connection.Transport.Input;
            _output = _connection.Transport.Output;
            ReadResult result = await input.ReadAsync().ConfigureAwait(false);
            if (result.IsCanceled || _stopping)
            {
                return;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            BatchOutcome outcome;
            while (true)
            {
                outcome = ProcessBatch(buffer, out SequencePosition consumed);
                buffer = buffer.Slice(consumed);
                if (outcome == BatchOutcome.VerifyPassword)
                {
                    // The reply to PASSWORD goes out first; the requests after it wait for the check.
                    if (_unflushed > 0 && !await FlushAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    await CompletePasswordCheckAsync().ConfigureAwait(false);
                    continue;
                }

                if (outcome != BatchOutcome.FlushAndContinue)
                {
                    break;
                }

                if (!await FlushAsync().ConfigureAwait(false))
                {
                    return;
                }
            }

            // The tokenizer keeps partial lines itself, so everything read is consumed.
            input.AdvanceTo(result.Buffer.End);
            if (_unflushed > 0 && !await FlushAsync().ConfigureAwait(false))
            {
                return;
            }

            if (outcome == BatchOutcome.Close || _closeRequested)
            {
                return;
            }

            if (outcome == BatchOutcome.StartTls)
            {
                if (!await StartTlsAsync().ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Serves the plain part of a socket session. True when STARTTLS succeeded and the session goes on
    /// over the TLS pipes; false when it is over.
    /// </summary>
    private async Task<bool> ServeChannelAsync(IStreamChannel channel)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        try
        {
            while (!_stopping)
            {
                int received;
                try
                {
                    received = await channel.ReceiveAsync(buffer).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                catch (SocketException ex)
                {
                    throw new IOException($"Receiving failed: {ex.SocketErrorCode}.", ex);
                }

                if (received == 0 || _stopping)
                {
                    return false;
                }

                int offset = 0;
                BatchOutcome outcome;
                while (true)
                {
                    outcome = ProcessSpan(buffer.AsSpan(offset, received - offset), out int used);
                    offset += used;
                    if (outcome == BatchOutcome.VerifyPassword)
                    {
                        if (_unflushed > 0 && !await FlushAsync().ConfigureAwait(false))
                        {
                            return false;
                        }

                        await CompletePasswordCheckAsync().ConfigureAwait(false);
                        continue;
                    }

                    if (outcome != BatchOutcome.FlushAndContinue)
                    {
                        break;
                    }

                    if (!await FlushAsync().ConfigureAwait(false))
                    {
                        return false;
                    }
                }

                if (_unflushed > 0 && !await FlushAsync().ConfigureAwait(false))
                {
                    return false;
                }

                if (outcome == BatchOutcome.Close || _closeRequested)
                {
                    return false;
                }

                if (outcome == BatchOutcome.StartTls)
                {
                    return await StartTlsAsync().ConfigureAwait(false);
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<bool> StartTlsAsync()
    {
        _startTlsRequested = false;
        try
        {
            // A client that never starts the handshake is dropped by the idle watch like any other.
            await _connection.UpgradeToTlsAsync(_server.TlsOptions!, _stopped.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or InvalidOperationException
            or ObjectDisposedException or OperationCanceledException)
        {
            NutServerLog.TlsFailed(_server.Logger, RemoteAddress, ex);
            return false;
        }
    }

    private enum BatchOutcome
    {
        NeedMoreData,
        FlushAndContinue,
        VerifyPassword,
        StartTls,
        Close,

        // A parse error: upsd answers nothing and drops the rest of what it read with the bad line.
        DropRest,
    }

    private BatchOutcome ProcessBatch(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        long offset = 0;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            BatchOutcome outcome = ProcessSpan(segment.Span, out int used);
            offset += used;
            if (outcome is BatchOutcome.DropRest or BatchOutcome.Close)
            {
                consumed = buffer.End;
                return outcome == BatchOutcome.Close ? outcome : BatchOutcome.NeedMoreData;
            }

            if (outcome != BatchOutcome.NeedMoreData)
            {
                consumed = buffer.GetPosition(offset);
                return outcome;
            }
        }

        consumed = buffer.End;
        return BatchOutcome.NeedMoreData;
    }

    // Handles the complete lines in input; consumed counts what the tokenizer took (all of it unless
    // the outcome asks the caller to act before the next line).
    private BatchOutcome ProcessSpan(ReadOnlySpan<byte> input, out int consumed)
    {
        int offset = 0;
        while (true)
        {
            NutTokenizerResult result = _tokenizer.Advance(input[offset..], out int used);
            offset += used;
            switch (result)
            {
                case NutTokenizerResult.NeedMoreData:
                    consumed = offset;
                    return BatchOutcome.NeedMoreData;

                case NutTokenizerResult.ParseError:
                    NutServerLog.ParseError(_server.Logger, RemoteAddress);
                    consumed = input.Length;
                    return BatchOutcome.DropRest;

                case NutTokenizerResult.LineTooLong:
                    NutServerLog.LineTooLong(_server.Logger, RemoteAddress, _server.Options.MaxRequestLineBytes);
                    consumed = input.Length;
                    return BatchOutcome.Close;

                default:
                    Volatile.Write(ref _lastHeardTicks, _server.Clock.Elapsed.Ticks);
                    _requests++;
                    Dispatch(_tokenizer.Line);
                    if (_startTlsRequested)
                    {
                        consumed = offset;
                        return BatchOutcome.StartTls;
                    }

                    if (_pendingPasswordCheck is not null)
                    {
                        consumed = offset;
                        return BatchOutcome.VerifyPassword;
                    }

                    if (_unflushed >= _server.Options.FlushThresholdBytes)
                    {
                        consumed = offset;
                        return BatchOutcome.FlushAndContinue;
                    }

                    break;
            }
        }
    }

    // Nearly every flush completes at once (the socket has room), so that case skips the async machinery.
    private ValueTask<bool> FlushAsync()
    {
        _unflushed = 0;
        ValueTask<FlushResult> pending = _output.FlushAsync();
        return pending.IsCompletedSuccessfully ? new ValueTask<bool>(Flushed(pending.Result)) : AwaitFlushAsync(pending);
    }

    private async ValueTask<bool> AwaitFlushAsync(ValueTask<FlushResult> pending) => Flushed(await pending.ConfigureAwait(false));

    private bool Flushed(FlushResult flushed) => !flushed.IsCanceled && !flushed.IsCompleted && !_stopping;

    private void Dispatch(NutRequestLine line)
    {
        try
        {
            if (line.Count == 0)
            {
                WriteError(NutError.UnknownCommand);
                return;
            }

            NutVerb? verb = NutVerbTable.Find(line[0]);
            if (verb is null)
            {
                WriteError(NutError.UnknownCommand);
                return;
            }

            if (verb.RequiresUser)
            {
                if (UserName is null)
                {
                    WriteError(NutError.UsernameRequired);
                    return;
                }

                if (Password is null)
                {
                    WriteError(NutError.PasswordRequired);
                    return;
                }
            }

            verb.Handler(this, line);
        }
        catch (Exception ex)
        {
            // A bug in a handler: log it and end this session cleanly; the server carries on.
            NutServerLog.HandlerFailed(_server.Logger, line.ToString(), RemoteAddress, ex);
            _closeRequested = true;
        }
    }

    // ---- state used by the handlers ----

    internal void SetUserName(string name)
    {
        UserName = name;
        StartPasswordCheck();
    }

    internal void SetPassword(string password)
    {
        Password = password;
        StartPasswordCheck();
    }

    /// <summary>
    /// Once both USERNAME and PASSWORD are known, a hashed password is derived off the socket's
    /// thread (PBKDF2 takes tens of milliseconds); the session reads on only when it is done, so
    /// the requests after it see the outcome and other clients are never held up by it.
    /// </summary>
    private void StartPasswordCheck()
    {
        if (UserName is null || Password is null || _server.Users.Find(UserName) is not { } user || !user.Password.IsHashed)
        {
            return;
        }

        string password = Password;
        _pendingPasswordUser = user;
        _pendingPasswordCheck = Task.Run(() => user.Password.Verify(password));
    }

    private async Task CompletePasswordCheckAsync()
    {
        Task<bool> check = _pendingPasswordCheck!;
        _pendingPasswordCheck = null;
        bool ok = await check.ConfigureAwait(false);
        _checkedUser = _pendingPasswordUser;
        _checkedUserPasswordOk = ok;
        _pendingPasswordUser = null;
    }

    internal void RequestClose() => _closeRequested = true;

    internal void RequestStartTls() => _startTlsRequested = true;

    /// <summary>upsd's user_checkaction / user_checkinstcmd: user must exist, password match, right be granted.</summary>
    internal bool Authorize(Func<NutUser, bool> right, string rightName)
    {
        NutUser? user = UserName is null ? null : _server.Users.Find(UserName);
        bool allowed = user is not null && PasswordMatches(user) && right(user);
        if (!allowed)
        {
            NutServerLog.AccessDenied(_server.Logger, UserName ?? "(none)", RemoteAddress, rightName);
        }

        return allowed;
    }

    private bool PasswordMatches(NutUser user)
    {
        if (!ReferenceEquals(_checkedUser, user))
        {
            _checkedUserPasswordOk = Password is not null && user.Password.Verify(Password);
            _checkedUser = user;
        }

        return _checkedUserPasswordOk;
    }

    /// <summary>
    /// upsd's checks before any per-UPS read: UNKNOWN-UPS, then DRIVER-NOT-CONNECTED or DATA-STALE.
    /// On failure the error has been written; on success <paramref name="state"/> is the snapshot checked.
    /// </summary>
    internal bool TryFindAvailable(
        NutRequestLine line,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpsUnit? unit,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpsState? state)
    {
        state = null;
        unit = FindUps(line, 2);
        if (unit is null)
        {
            WriteError(NutError.UnknownUps);
            return false;
        }

        state = unit.Current;
        return CheckAvailable(state);
    }

    /// <summary>The same checks, then VAR-NOT-SUPPORTED for the variable named by word 3.</summary>
    internal bool TryFindVariable(
        NutRequestLine line,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpsState? state,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpsVariable? variable)
    {
        variable = null;
        if (!TryFindAvailable(line, out _, out state))
        {
            return false;
        }

        // Pollers repeat the same request: the tokenizer hands back the same string instance for a
        // repeated word, so the last answer holds while the snapshot and the name are unchanged.
        string name = line.GetString(3);
        if (!ReferenceEquals(state, _lastVariableState) || !ReferenceEquals(name, _lastVariableName))
        {
            _lastVariable = NutVariables.Find(state, name);
            _lastVariableState = state;
            _lastVariableName = name;
        }

        variable = _lastVariable;
        if (variable is null)
        {
            WriteError(NutError.VarNotSupported);
            return false;
        }

        return true;
    }

    /// <summary>upsd's ups_available: DRIVER-NOT-CONNECTED or DATA-STALE, else usable.</summary>
    internal bool CheckAvailable(UpsState state)
    {
        switch (state.DataState)
        {
            case UpsDataState.NotConnected:
                WriteError(NutError.DriverNotConnected);
                return false;
            case UpsDataState.Stale:
                WriteError(NutError.DataStale);
                return false;
            default:
                return true;
        }
    }

    // The registry never changes while the server runs, so a repeated name needs no second lookup.
    internal UpsUnit? FindUps(NutRequestLine line, int index)
    {
        string name = line.GetString(index);
        if (!ReferenceEquals(name, _lastUpsName))
        {
            _lastUnit = _server.Registry.Find(name);
            _lastUpsName = name;
        }

        return _lastUnit;
    }

    // ---- reply writing: whole lines only, so a failure never leaves half a line behind ----

    internal NutReplyLine BeginLine() => new(_output.GetSpan(NutProtocol.MaxReplyLineBytes));

    internal void EndLine(ref NutReplyLine line)
    {
        int length = line.Finish();
        _output.Advance(length);
        _unflushed += length;
    }

    internal void WriteLine(ReadOnlySpan<byte> text)
    {
        NutReplyLine line = BeginLine();
        line.Append(text);
        EndLine(ref line);
    }

    internal void WriteError(NutError error)
    {
        Span<byte> span = _output.GetSpan(NutProtocol.MaxReplyLineBytes);
        int length = NutErrors.WriteReply(error, span);
        _output.Advance(length);
        _unflushed += length;
    }

    private static string FormatAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
        null => "unknown",
        _ => endPoint.ToString() ?? "unknown",
    };
}
