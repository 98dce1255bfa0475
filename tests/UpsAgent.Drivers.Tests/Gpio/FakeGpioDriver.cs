using System.Device.Gpio;

namespace UpsAgent.Drivers.Tests.Gpio;

/// <summary>
/// A GPIO chip in memory: tests set input levels with <see cref="SetInput"/> (edges call the registered
/// callbacks as the real drivers do) and read what the code under test wrote to outputs.
/// </summary>
internal sealed class FakeGpioDriver : GpioDriver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, PinValue> _values = [];
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Callback)>> _callbacks = [];

    /// <summary>Levels lines start at when opened (inputs float high with a pull-up, for instance).</summary>
    public Dictionary<int, PinValue> InitialLevels { get; } = [];

    /// <summary>When set, every read throws this (a chip that went away).</summary>
    public Exception? ReadFault { get; set; }

    public List<(int Pin, PinValue Value)> Writes { get; } = [];

    public int OpenCount { get; private set; }

    protected override int PinCount => 64;

    protected override void OpenPin(int pinNumber)
    {
        lock (_lock)
        {
            OpenCount++;
            _values[pinNumber] = InitialLevels.GetValueOrDefault(pinNumber, PinValue.Low);
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _values.Remove(pinNumber);
            _callbacks.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            _modes[pinNumber] = mode;
        }
    }

    public PinMode ModeOf(int pin)
    {
        lock (_lock)
        {
            return _modes.GetValueOrDefault(pin, PinMode.Input);
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => ModeOf(pinNumber);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            if (ReadFault is { } fault)
            {
                throw fault;
            }

            return _values[pinNumber];
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_lock)
        {
            Writes.Add((pinNumber, value));
            _values[pinNumber] = value;
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the driver under test is expected to use callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                _callbacks[pinNumber] = list = [];
            }

            list.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (_callbacks.TryGetValue(pinNumber, out var list))
            {
                list.RemoveAll(c => c.Callback == callback);
            }
        }
    }

    /// <summary>Drives an input line; a change of level fires the callbacks registered for that edge.</summary>
    public void SetInput(int pin, PinValue value, bool fireEdge = true)
    {
        List<PinChangeEventHandler> toCall = [];
        PinEventTypes edge;
        lock (_lock)
        {
            PinValue old = _values.GetValueOrDefault(pin, PinValue.Low);
            _values[pin] = value;
            if (old == value || !fireEdge)
            {
                return;
            }

            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            if (_callbacks.TryGetValue(pin, out var list))
            {
                toCall.AddRange(list.Where(c => (c.Types & edge) != 0).Select(c => c.Callback));
            }
        }

        foreach (PinChangeEventHandler callback in toCall)
        {
            callback(this, new PinValueChangedEventArgs(edge, pin));
        }
    }
}
