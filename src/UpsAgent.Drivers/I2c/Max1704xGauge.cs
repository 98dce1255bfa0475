using System.Buffers.Binary;
using System.Device.I2c;

namespace UpsAgent.Drivers.I2c;

/// <summary>
/// A Maxim MAX17040/17043/17048 fuel gauge (Geekworm X728/X120x, UPS-Lite): VCELL (register 0x02,
/// 1.25 mV per count in its upper 12 bits) and SOC (register 0x04, 1/256 %). It measures no current.
/// </summary>
public sealed class Max1704xGauge(I2cDevice device) : IBatteryGauge
{
    private const byte VcellRegister = 0x02;
    private const byte SocRegister = 0x04;

    private readonly I2cDevice _device = device ?? throw new ArgumentNullException(nameof(device));

    public string Chip => "max17040";

    public GaugeReading Read()
    {
        double volts = (ReadRegister(VcellRegister) >> 4) * 1.25e-3;
        double percent = ReadRegister(SocRegister) / 256.0;
        return new GaugeReading(volts, null, Math.Min(100, percent));
    }

    private ushort ReadRegister(byte register)
    {
        Span<byte> value = stackalloc byte[2];
        _device.WriteRead([register], value);
        return BinaryPrimitives.ReadUInt16BigEndian(value);
    }

    public void Dispose() => _device.Dispose();
}
