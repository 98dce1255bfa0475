using System.Buffers.Binary;
using System.Device.I2c;

namespace UpsAgent.Drivers.Tests.I2c;

/// <summary>
/// A chip of 16-bit big-endian registers on a fake bus: writing [reg] moves the register pointer,
/// writing [reg, hi, lo] stores a value, reading returns the pointed register. INA219 and MAX1704x work so.
/// </summary>
internal sealed class FakeI2cDevice(int bus, int address) : I2cDevice
{
    private readonly Lock _lock = new();
    private readonly Dictionary<byte, ushort> _registers = [];
    private byte _pointer;

    public override I2cConnectionSettings ConnectionSettings { get; } = new(bus, address);

    /// <summary>When set, every transfer throws this (the bus or chip stopped answering).</summary>
    public Exception? Fault { get; set; }

    public bool Disposed { get; private set; }

    public ushort this[byte register]
    {
        get
        {
            lock (_lock)
            {
                return _registers.GetValueOrDefault(register);
            }
        }

        set
        {
            lock (_lock)
            {
                _registers[register] = value;
            }
        }
    }

    public override void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            ThrowIfFaulty();
            Span<byte> value = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(value, _registers.GetValueOrDefault(_pointer));
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = value[i % 2];
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            ThrowIfFaulty();
            if (buffer.Length == 0)
            {
                return;
            }

            _pointer = buffer[0];
            if (buffer.Length >= 3)
            {
                _registers[_pointer] = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..3]);
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void ThrowIfFaulty()
    {
        if (Fault is { } fault)
        {
            throw fault;
        }
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
