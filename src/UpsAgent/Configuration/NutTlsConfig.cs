using UpsAgent.Drivers.Nut;

namespace UpsAgent.Configuration;

/// <summary>
/// The TLS keys of a section that connects to another NUT server (<c>[monitor]</c>, and <c>[ups]</c>
/// with <c>driver = nut</c>): <c>tls = try|required|off</c> (upsmon's FORCESSL), <c>tls-verify = yes|no</c>
/// (CERTVERIFY) and <c>tls-ca = PEM FILE</c> (CERTPATH).
/// </summary>
internal sealed class NutTlsConfig
{
    private ConfigEntry? _verifyEntry;
    private ConfigEntry? _caEntry;
    private ConfigEntry? _modeEntry;

    public static IReadOnlyList<string> Keys { get; } = ["tls", "tls-verify", "tls-ca"];

    public NutTlsOptions Options { get; private set; } = NutTlsOptions.Default;

    /// <summary>Takes one of <see cref="Keys"/>; false for any other key.</summary>
    public bool TryRead(ConfigEntry e)
    {
        switch (e.Key)
        {
            case "tls":
                _modeEntry = e;
                Options = Options with
                {
                    Mode = e.Value.ToLowerInvariant() switch
                    {
                        "try" => NutTlsMode.Try,
                        "required" or "require" => NutTlsMode.Required,
                        "off" or "no" => NutTlsMode.Off,
                        _ => throw e.Error($"'{e.Value}' is not try, required or off"),
                    },
                };
                return true;
            case "tls-verify":
                _verifyEntry = e;
                Options = Options with { Verify = ConfigValues.YesNo(e) };
                return true;
            case "tls-ca":
                _caEntry = e;
                Options = Options with { CaFile = File.Exists(e.Value) ? Path.GetFullPath(e.Value) : throw e.Error($"no file {e.Value} (the PEM certificates that verify the server)") };
                return true;
            default:
                return false;
        }
    }

    /// <summary>The options read, once the section is done; settings that contradict each other are errors.</summary>
    public NutTlsOptions Finish()
    {
        if (_caEntry is not null && !Options.Verify)
        {
            throw _caEntry.Error("tls-ca is used only to verify the server: add tls-verify = yes");
        }

        if (Options.Mode == NutTlsMode.Off && Options.Verify)
        {
            throw (_verifyEntry ?? _modeEntry)!.Error("tls-verify = yes needs TLS: tls = try or required");
        }

        return Options;
    }
}
