using System.Text;

namespace UpsAgent.Drivers.Simulated;

/// <summary>The text of a .dev or .seq file and the name used for it in error messages and driver.parameter.port.</summary>
public sealed record DeviceDefinition(string Name, string Text)
{
    /// <summary>dummy-ups' default by file name: .seq files loop, everything else plays once.</summary>
    public SequenceMode DefaultMode =>
        Name.EndsWith(".seq", StringComparison.OrdinalIgnoreCase) ? SequenceMode.Loop : SequenceMode.Once;

    public DeviceScript Parse() => DeviceScriptParser.Parse(Text, Name);

    /// <summary>Reads a definition file; bytes that are not UTF-8 text are reported as a <see cref="DeviceScriptException"/>.</summary>
    public static DeviceDefinition FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            string text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            return new DeviceDefinition(path, text);
        }
        catch (DecoderFallbackException e)
        {
            throw new DeviceScriptException(path, "not a UTF-8 text file", e);
        }
    }
}
