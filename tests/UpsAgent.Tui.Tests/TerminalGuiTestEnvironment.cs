using System.Runtime.CompilerServices;

namespace UpsAgent.Tui.Tests;

internal static class TerminalGuiTestEnvironment
{
    // Terminal.Gui's own tests do this: the ANSI driver then neither reads nor writes the real
    // terminal, so no test can leave it in raw mode, and none needs one.
    [ModuleInitializer]
    internal static void Init() => Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
}
