using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// The raw exchanges of the NUT fact sheet (section 1.5, captured from upsd 2.8.0) plus the neighbouring
/// error paths, replayed on several connections: anonymous, wrong password, no rights, admin, and an
/// upsmon-style secondary and primary.
/// </summary>
internal static class ReferenceTranscript
{
    private const string Ups = InteropSetup.UpsName;

    public static async Task<List<TranscriptExchange>> RecordAsync(INutServerPeer server)
    {
        var transcript = new List<TranscriptExchange>();
        var fileVariables = InteropSetup.DeviceVariables(InteropSetup.OnlineDevice);
        // Each server offers its own commands (dummy-ups: load.off); use the first it lists where any will do.
        var command = await FirstCommandAsync(server.Port);

        await using (var anon = await TranscriptSession.OpenAsync(server.Port, "anonymous", transcript))
        {
            await anon.AskAsync("VER");
            await anon.AskAsync("VER x");
            await anon.AskAsync("NETVER");
            await anon.AskAsync("PROTVER");
            await anon.AskListAsync("LIST UPS");
            await anon.AskAsync($"GET UPSDESC {Ups}");
            await anon.AskAsync("GET UPSDESC nosuch");
            await anon.AskAsync($"GET VAR {Ups} ups.status");
            await anon.AskAsync($"get var {Ups} battery.charge");
            await anon.AskAsync($"GET VAR {Ups.ToUpperInvariant()} UPS.STATUS");
            await anon.AskAsync($"GET VAR \"{Ups}\" \"ups.status\"");
            await anon.AskAsync($"GET VAR {Ups} ups.status # a comment");
            await anon.AskAsync($"GET VAR {Ups} ups.status\r", shownAs: $"GET VAR {Ups} ups.status<CR>");
            await anon.AskAsync("GET VAR nosuch ups.status");
            await anon.AskAsync($"GET VAR {Ups} no.such.var");
            await anon.AskAsync("GET VAR nosuch server.version");
            await anon.AskAsync($"GET VAR {Ups} server.info");
            await anon.AskAsync($"GET VAR {Ups} server.nonsense");
            await anon.AskAsync($"GET VAR {Ups}");
            await anon.AskAsync("GET");
            await anon.AskAsync($"GET FOO {Ups}");
            await anon.AskAsync($"GET TYPE {Ups} ups.id");
            await anon.AskAsync($"GET TYPE {Ups} no.such.var");
            await anon.AskAsync($"GET DESC {Ups} foo.bar");
            await anon.AskAsync($"GET CMDDESC {Ups} foo.bar");
            await anon.AskAsync($"GET NUMLOGINS {Ups}");
            await anon.AskAsync("GET NUMLOGINS nosuch");
            await anon.AskAsync("GET TRACKING");
            await anon.AskAsync("GET TRACKING abc");
            await anon.AskListAsync($"LIST VAR {Ups}", item => IsFileVariable(item, fileVariables));
            await anon.AskListAsync("LIST VAR nosuch");
            await anon.AskListAsync("LIST CMD nosuch");
            await anon.AskListAsync($"LIST ENUM {Ups} ups.id");
            await anon.AskListAsync($"LIST RANGE {Ups} ups.id");
            await anon.AskListAsync($"LIST ENUM {Ups} no.such.var");
            await anon.AskListAsync($"LIST CLIENT {Ups}");
            await anon.AskListAsync("LIST CLIENT nosuch");
            await anon.AskAsync($"LIST FOO {Ups}");
            await anon.AskAsync("FOO");
            await anon.AskAsync("");
            await anon.AskAsync("   ");
            await anon.AskAsync("# only a comment");
            await anon.AskAsync("STARTTLS");
            await anon.PipelineAsync($"GET VAR {Ups} ups.status", $"GET VAR {Ups} battery.charge", "NETVER");
            await anon.AskAsync($"SET VAR {Ups} ups.id \"x\"");
            await anon.AskAsync($"INSTCMD {Ups} {command}", shownAs: $"INSTCMD {Ups} (a listed command)");
            await anon.AskAsync($"LOGIN {Ups}");
            await anon.AskAsync("SET TRACKING ON");
            await anon.AskAsync("USERNAME admin");
            await anon.AskAsync($"SET VAR {Ups} ups.id x");
            await anon.AskAsync("LOGOUT");
            await anon.ExpectCloseAsync();
        }

        await using (var wrong = await TranscriptSession.OpenAsync(server.Port, "wrong password", transcript))
        {
            await wrong.AskAsync("USERNAME admin");
            await wrong.AskAsync("PASSWORD wrongpass");
            await wrong.AskAsync($"SET VAR {Ups} ups.id \"x\"");
            await wrong.AskAsync($"INSTCMD {Ups} {command}", shownAs: $"INSTCMD {Ups} (a listed command)");
            await wrong.AskAsync("USERNAME other");
            await wrong.AskAsync("PASSWORD again");
            await wrong.AskAsync($"LOGIN {Ups}");
        }

        await using (var viewer = await TranscriptSession.OpenAsync(server.Port, "viewer", transcript))
        {
            await viewer.AskAsync($"USERNAME {InteropSetup.Viewer.Name}");
            await viewer.AskAsync($"PASSWORD {InteropSetup.Viewer.Password}");
            await viewer.AskAsync($"INSTCMD {Ups} {command}", shownAs: $"INSTCMD {Ups} (a listed command)");
            await viewer.AskAsync($"INSTCMD {Ups} no.such.cmd");
            await viewer.AskAsync($"SET VAR {Ups} no.such y");
            await viewer.AskAsync($"SET VAR {Ups} ups.id y");
            await viewer.AskAsync($"LOGIN {Ups}");
            await viewer.AskAsync($"PRIMARY {Ups}");
            await viewer.AskAsync($"MASTER {Ups}");
            await viewer.AskAsync($"FSD {Ups}");
            await viewer.AskAsync("SET TRACKING ON");
            await viewer.AskAsync("GET TRACKING");
        }

        await using (var admin = await TranscriptSession.OpenAsync(server.Port, "admin", transcript))
        {
            await admin.AskAsync($"USERNAME {InteropSetup.Admin.Name}");
            await admin.AskAsync($"PASSWORD {InteropSetup.Admin.Password}");
            await admin.AskAsync($"LOGIN {Ups}");
            await admin.AskAsync($"SET VAR {Ups} ups.id \"this string is longer than sixteen\"");
            await admin.AskAsync($"SET VAR {Ups} driver.name foo");
            await admin.AskAsync($"SET VAR {Ups} no.such.var x");
            await admin.AskAsync("SET VAR nosuch ups.id x");
            await admin.AskAsync($"SET VAR {Ups} ups.id");
            await admin.AskAsync($"INSTCMD {Ups}");
            await admin.AskAsync($"INSTCMD nosuch {command}", shownAs: "INSTCMD nosuch (a listed command)");
            await admin.AskAsync($"INSTCMD {Ups} no.such.cmd");
            await admin.AskAsync("SET TRACKING MAYBE");
            await admin.AskAsync("GET TRACKING 2DDC5036-F665-4D29-BE4C-0374D091D263");
            await admin.AskAsync("SET TRACKING ON");
            await admin.AskAsync("GET TRACKING");
            await admin.AskAsync("GET TRACKING 00000000-0000-4000-8000-000000000000");
            await admin.AskAsync($"SET VAR {Ups} ups.id \"rack-a\"");
            var id = admin.LastRawReply.StartsWith("OK TRACKING ", StringComparison.Ordinal) ? admin.LastRawReply["OK TRACKING ".Length..] : "none";
            await admin.AskUntilAsync($"GET TRACKING {id}", "SUCCESS", TimeSpan.FromSeconds(6), shownAs: "GET TRACKING (that id), until SUCCESS");
            await admin.AskAsync("SET TRACKING OFF");
            await admin.AskAsync($"SET VAR {Ups} ups.id \"rack-a\"");
            await admin.AskAsync("LOGOUT");
            await admin.ExpectCloseAsync();
        }

        // Tokenizer quirks of upsd's parseconf (fact sheet 1.1), one connection each: a parse error
        // discards the rest of the read buffer.
        await using (var parser = await TranscriptSession.OpenAsync(server.Port, "parser: # inside quotes", transcript))
        {
            await parser.AskAsync($"USERNAME {InteropSetup.Admin.Name}");
            await parser.AskAsync($"PASSWORD {InteropSetup.Admin.Password}");
            await parser.SendRawAsync($"SET VAR {Ups} ups.id \"Rack \\\"B\\\" #2\"\nGET VAR {Ups} ups.status\n", 2,
                $"SET VAR {Ups} ups.id \"Rack \\\"B\\\" #2\" + GET VAR in one write");
            await parser.AskAsync("NETVER");
        }
        await using (var parser = await TranscriptSession.OpenAsync(server.Port, "parser", transcript))
        {
            await parser.SendRawAsync($"GET VAR {Ups} \"ups.status\nNETVER\n\"\nNETVER\n", 2, "a quote left open across lines");
            await parser.SendRawAsync($"GET VAR {Ups} ups.st\u0001atus\n", 1, "GET VAR ups ups.st<0x01>atus");
            await parser.SendRawAsync($"GET VAR {Ups} ups.status\rNETVER\n", 1, "GET VAR ups ups.status<CR>NETVER (CR is only whitespace)");
            await parser.AskAsync($"GET VAR {Ups} {new string('x', 600)}", shownAs: "GET VAR ups (600 x)");
            await parser.AskAsync($"GET VAR {Ups} ups.status extra words");
            await parser.AskAsync("USERNAME a b");
            await parser.AskAsync("HELP x");
            await parser.AskAsync("LIST CLIENT");
            await parser.AskAsync($"LIST ENUM {Ups}");
            await parser.AskAsync("GET NUMLOGINS");
            await parser.AskAsync("GET TRACKING a b");
        }

        await using var primary = await TranscriptSession.OpenAsync(server.Port, "primary", transcript);
        await using (var secondary = await TranscriptSession.OpenAsync(server.Port, "secondary", transcript))
        {
            await secondary.AskAsync($"USERNAME {InteropSetup.Secondary.Name}");
            await secondary.AskAsync($"PASSWORD {InteropSetup.Secondary.Password}");
            await secondary.AskAsync("LOGIN nosuch");
            await secondary.AskAsync($"LOGIN {Ups}");
            await secondary.AskAsync($"LOGIN {Ups}");
            await secondary.AskAsync($"GET NUMLOGINS {Ups}");
            await secondary.AskAsync($"PRIMARY {Ups}");
            await secondary.AskAsync($"FSD {Ups}");

            await primary.AskAsync($"USERNAME {InteropSetup.Primary.Name}");
            await primary.AskAsync($"PASSWORD {InteropSetup.Primary.Password}");
            await primary.AskAsync($"LOGIN {Ups}");
            await primary.AskAsync($"PRIMARY {Ups}");
            await primary.AskAsync($"MASTER {Ups}");
            await primary.AskAsync($"GET NUMLOGINS {Ups}");
            await primary.AskListAsync($"LIST CLIENT {Ups}");
            await primary.AskAsync($"FSD {Ups}");
            await primary.AskAsync($"GET VAR {Ups} ups.status");
            await primary.AskListAsync($"LIST VAR {Ups}", item => item.StartsWith($"VAR {Ups} ups.status ", StringComparison.Ordinal));
            await secondary.AskAsync($"GET VAR {Ups} ups.status");
        }
        // The secondary's socket closed without LOGOUT, as upsmon's does when it shuts down.
        await primary.AskUntilAsync($"GET NUMLOGINS {Ups}", $"NUMLOGINS {Ups} 1", TimeSpan.FromSeconds(5));
        await primary.AskAsync("LOGOUT");
        await primary.ExpectCloseAsync();
        return transcript;
    }

    private static bool IsFileVariable(string item, IReadOnlyDictionary<string, string> fileVariables)
    {
        var words = item.Split(' ', 4);
        return words.Length >= 3 && fileVariables.ContainsKey(words[2]);
    }

    private static async Task<string> FirstCommandAsync(int port)
    {
        await using var client = await NutLineClient.ConnectAsync(port);
        var lines = await client.RequestListAsync($"LIST CMD {Ups}");
        return lines.Select(line => line.Split(' ')).FirstOrDefault(words => words is ["CMD", _, _])?[2] ?? "load.off";
    }
}
