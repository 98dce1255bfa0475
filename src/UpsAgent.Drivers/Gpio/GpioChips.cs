using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Runtime.InteropServices;

namespace UpsAgent.Drivers.Gpio;

/// <summary>
/// Opens a GPIO chip with the kernel interface this host has, chosen explicitly rather than by
/// <c>new GpioController()</c> (whose fallback stops at the first library it cannot load):
/// libgpiod v2 (libgpiod.so.3), else libgpiod v1 (libgpiod.so.2), else the sysfs interface.
/// </summary>
public static class GpioChips
{
    public static GpioController Open(int chip)
    {
        if (HasLibrary("libgpiod.so.3"))
        {
            return new GpioController(new LibGpiodV2Driver(chip));
        }

        if (HasLibrary("libgpiod.so.2") || HasLibrary("libgpiod.so.1"))
        {
            return new GpioController(new LibGpiodDriver(chip));
        }

        // sysfs numbers lines globally (on a Raspberry Pi with kernel 6.1 or later, GPIO6 is 518).
        return new GpioController(new SysFsDriver());
    }

    private static bool HasLibrary(string name)
    {
        if (!NativeLibrary.TryLoad(name, out IntPtr handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
