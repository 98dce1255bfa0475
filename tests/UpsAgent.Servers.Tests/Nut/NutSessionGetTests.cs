namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutSessionGetTests
{
    [TestMethod]
    public async Task Ver_answers_the_upsd_version_text()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/", await client.RequestAsync("VER"));
    }

    [TestMethod]
    public async Task Ver_uses_the_configured_version_text()
    {
        await using var bed = new NutTestBed(o => new() { VersionText = "UpsAgent 0.1", ServerVersion = "0.1" });
        await using var client = bed.Connect();
        Assert.AreEqual("UpsAgent 0.1", await client.RequestAsync("VER"));
        Assert.AreEqual("VAR x server.info \"UpsAgent 0.1\"", await client.RequestAsync("GET VAR x server.info"));
        Assert.AreEqual("VAR x server.version \"0.1\"", await client.RequestAsync("GET VAR x server.version"));
    }

    [TestMethod]
    public async Task Ver_netver_protver_and_help_refuse_arguments()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        foreach (string verb in new[] { "VER", "NETVER", "PROTVER", "HELP", "LOGOUT" })
        {
            Assert.AreEqual("ERR INVALID-ARGUMENT", await client.RequestAsync(verb + " x"), verb);
        }
    }

    [TestMethod]
    public async Task Netver_and_protver_answer_protocol_1_3()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        Assert.AreEqual("1.3", await client.RequestAsync("protver"));
    }

    [TestMethod]
    public async Task Help_lists_the_upsd_2_8_0_commands()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS", await client.RequestAsync("HELP"));
    }

    [TestMethod]
    public async Task Get_var_answers_the_quoted_value()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.RequestAsync("GET VAR static ups.status"));
        Assert.AreEqual("VAR static battery.charge \"100\"", await client.RequestAsync("get var static battery.charge"));
    }

    [TestMethod]
    public async Task Get_var_echoes_the_client_spelling_of_ups_and_variable()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("VAR STATIC UPS.STATUS \"OL CHRG\"", await client.RequestAsync("GET VAR STATIC UPS.STATUS"));
        Assert.AreEqual("VAR Static ups.Status \"OL CHRG\"", await client.RequestAsync("GET VAR \"Static\" ups.\\Status"));
    }

    [TestMethod]
    public async Task Get_var_escapes_quotes_backslashes_and_hashes_in_values()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("VAR static device.model \"Rack \\\"B\\\" \\#2 \\\\ 3\"", await client.RequestAsync("GET VAR static device.model"));
    }

    [TestMethod]
    public async Task Get_var_on_unknown_ups_answers_unknown_ups()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("GET VAR nosuch ups.status"));
    }

    [TestMethod]
    public async Task Get_var_on_unknown_variable_answers_var_not_supported()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("GET VAR static no.such.var"));
    }

    [TestMethod]
    public async Task Server_variables_are_answered_before_the_ups_lookup()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("VAR nosuch server.version \"2.8.0\"", await client.RequestAsync("GET VAR nosuch server.version"));
        Assert.AreEqual("VAR static server.info \"Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/\"",
            await client.RequestAsync("GET VAR static SERVER.INFO"));
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("GET VAR static server.other"));
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("GET VAR nosuch server.other"));
    }

    [TestMethod]
    public async Task Server_variables_do_not_appear_in_list_var()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        List<string> lines = await client.RequestListAsync("LIST VAR static");
        Assert.IsFalse(lines.Any(l => l.Contains("server.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Get_var_shows_fsd_in_front_of_the_status_while_the_latch_is_set()
    {
        await using var bed = new NutTestBed();
        bed.Static.LatchForcedShutdown();
        await using var client = bed.Connect();
        Assert.AreEqual("VAR static ups.status \"FSD OL CHRG\"", await client.RequestAsync("GET VAR static ups.status"));
    }

    [TestMethod]
    public async Task Get_var_on_stale_data_answers_data_stale_but_server_vars_and_upsdesc_still_work()
    {
        await using var bed = new NutTestBed();
        bed.StaticWriter.MarkStale();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR DATA-STALE", await client.RequestAsync("GET VAR static ups.status"));
        Assert.AreEqual("ERR DATA-STALE", await client.RequestAsync("GET TYPE static ups.status"));
        Assert.AreEqual("ERR DATA-STALE", await client.RequestAsync("GET DESC static ups.status"));
        Assert.AreEqual("ERR DATA-STALE", await client.RequestAsync("GET CMDDESC static load.off"));
        Assert.AreEqual("ERR DATA-STALE", await client.RequestAsync("GET NUMLOGINS static"));
        Assert.AreEqual("ERR DATA-STALE", (await client.RequestListAsync("LIST VAR static"))[0]);
        Assert.AreEqual("UPSDESC static \"Static dummy UPS (always OL)\"", await client.RequestAsync("GET UPSDESC static"));
        Assert.AreEqual("VAR static server.version \"2.8.0\"", await client.RequestAsync("GET VAR static server.version"));
    }

    [TestMethod]
    public async Task Get_var_without_a_driver_answers_driver_not_connected()
    {
        await using var bed = new NutTestBed();
        bed.OutageWriter.MarkDisconnected();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR DRIVER-NOT-CONNECTED", await client.RequestAsync("GET VAR outage ups.status"));
        Assert.AreEqual("ERR DRIVER-NOT-CONNECTED", (await client.RequestListAsync("LIST CMD outage"))[0]);
        CollectionAssert.AreEqual(new[] { "BEGIN LIST CLIENT outage", "END LIST CLIENT outage" }, await client.RequestListAsync("LIST CLIENT outage"));
    }

    [TestMethod]
    public async Task Status_reads_wait_before_the_first_driver_dump()
    {
        await using var bed = new NutTestBed(withWaitingUps: true);
        await using var client = bed.Connect();
        Assert.AreEqual("VAR fresh ups.status \"WAIT\"", await client.RequestAsync("GET VAR fresh ups.status"));
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("GET VAR fresh battery.charge"));
        CollectionAssert.AreEqual(
            new[] { "BEGIN LIST VAR fresh", "VAR fresh ups.status \"WAIT\"", "END LIST VAR fresh" },
            await client.RequestListAsync("LIST VAR fresh"));
    }

    [TestMethod]
    public async Task Get_type_reports_flags_in_upsd_order()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("TYPE static ups.id RW STRING:16", await client.RequestAsync("GET TYPE static ups.id"));
        Assert.AreEqual("TYPE static battery.charge RW NUMBER", await client.RequestAsync("GET TYPE static battery.charge"));
        Assert.AreEqual("TYPE static ups.beeper.status RW ENUM STRING:8", await client.RequestAsync("GET TYPE static ups.beeper.status"));
        Assert.AreEqual("TYPE static ups.delay.shutdown RW RANGE NUMBER", await client.RequestAsync("GET TYPE static ups.delay.shutdown"));
        Assert.AreEqual("TYPE static driver.name NUMBER", await client.RequestAsync("GET TYPE static driver.name"));
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("GET TYPE static no.such"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("GET TYPE nosuch ups.id"));
    }

    [TestMethod]
    public async Task Get_desc_answers_a_description_or_the_fallback_for_any_name()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("DESC static foo.bar \"Description unavailable\"", await client.RequestAsync("GET DESC static foo.bar"));
        Assert.AreEqual("DESC static battery.charge \"Battery charge (percent)\"", await client.RequestAsync("GET DESC static battery.charge"));
        Assert.AreEqual("CMDDESC static load.off \"Turn the load off now\"", await client.RequestAsync("GET CMDDESC static load.off"));
        Assert.AreEqual("CMDDESC static no.cmd \"Description unavailable\"", await client.RequestAsync("GET CMDDESC static no.cmd"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("GET DESC nosuch battery.charge"));
    }

    [TestMethod]
    public async Task Get_upsdesc_answers_unavailable_when_no_description_is_configured()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("UPSDESC static \"Static dummy UPS (always OL)\"", await client.RequestAsync("GET UPSDESC static"));
        Assert.AreEqual("UPSDESC OUTAGE \"Unavailable\"", await client.RequestAsync("GET UPSDESC OUTAGE"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("GET UPSDESC nosuch"));
    }

    [TestMethod]
    public async Task Get_with_too_few_words_or_unknown_subcommand_answers_invalid_argument()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        foreach (string request in new[] { "GET", "GET VAR", "GET VAR static", "GET NUMLOGINS", "GET UPSDESC", "GET TYPE static", "GET FOO static x", "GET FOO" })
        {
            Assert.AreEqual("ERR INVALID-ARGUMENT", await client.RequestAsync(request), request);
        }
    }

    [TestMethod]
    public async Task Get_numlogins_counts_logins_on_the_ups()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("NUMLOGINS static 0", await client.RequestAsync("GET NUMLOGINS static"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("GET NUMLOGINS nosuch"));
    }
}
