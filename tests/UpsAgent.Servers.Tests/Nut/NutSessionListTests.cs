namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutSessionListTests
{
    [TestMethod]
    public async Task List_ups_names_every_ups_in_configuration_order_with_descriptions()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        CollectionAssert.AreEqual(
            new[] { "BEGIN LIST UPS", "UPS static \"Static dummy UPS (always OL)\"", "UPS outage \"Description unavailable\"", "END LIST UPS" },
            await client.RequestListAsync("list ups"));
    }

    [TestMethod]
    public async Task List_var_lists_every_variable_sorted_and_echoes_the_ups_name()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        CollectionAssert.AreEqual(
            new[]
            {
                "BEGIN LIST VAR Static",
                "VAR Static battery.charge \"100\"",
                "VAR Static device.model \"Rack \\\"B\\\" \\#2 \\\\ 3\"",
                "VAR Static driver.name \"dummy-ups\"",
                "VAR Static ups.beeper.status \"enabled\"",
                "VAR Static ups.delay.shutdown \"20\"",
                "VAR Static ups.id \"static-ups\"",
                "VAR Static ups.status \"OL CHRG\"",
                "END LIST VAR Static",
            },
            await client.RequestListAsync("LIST var Static"));
    }

    [TestMethod]
    public async Task List_var_shows_fsd_but_list_rw_does_not()
    {
        await using var bed = new NutTestBed();
        bed.StaticWriter.Define([new Core.State.UpsVariable("ups.status", "OL") { Flags = Core.State.VariableFlags.ReadWrite }]);
        bed.Static.LatchForcedShutdown();
        await using var client = bed.Connect();
        CollectionAssert.Contains(await client.RequestListAsync("LIST VAR static"), "VAR static ups.status \"FSD OL\"");
        CollectionAssert.Contains(await client.RequestListAsync("LIST RW static"), "RW static ups.status \"OL\"");
    }

    [TestMethod]
    public async Task List_rw_lists_only_writable_variables()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        CollectionAssert.AreEqual(
            new[]
            {
                "BEGIN LIST RW static",
                "RW static battery.charge \"100\"",
                "RW static ups.beeper.status \"enabled\"",
                "RW static ups.delay.shutdown \"20\"",
                "RW static ups.id \"static-ups\"",
                "END LIST RW static",
            },
            await client.RequestListAsync("LIST RW static"));
    }

    [TestMethod]
    public async Task List_cmd_lists_commands_sorted()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        CollectionAssert.AreEqual(
            new[] { "BEGIN LIST CMD static", "CMD static beeper.disable", "CMD static load.off", "END LIST CMD static" },
            await client.RequestListAsync("LIST CMD static"));
    }

    [TestMethod]
    public async Task List_enum_lists_values_and_is_empty_for_a_variable_without_them()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        CollectionAssert.AreEqual(
            new[]
            {
                "BEGIN LIST ENUM static UPS.BEEPER.STATUS",
                "ENUM static UPS.BEEPER.STATUS \"enabled\"",
                "ENUM static UPS.BEEPER.STATUS \"disabled\"",
                "ENUM static UPS.BEEPER.STATUS \"muted\"",
                "END LIST ENUM static UPS.BEEPER.STATUS",
            },
            await client.RequestListAsync("LIST ENUM static UPS.BEEPER.STATUS"));
        CollectionAssert.AreEqual(
            new[] { "BEGIN LIST ENUM static ups.id", "END LIST ENUM static ups.id" },
            await client.RequestListAsync("LIST ENUM static ups.id"));
    }

    [TestMethod]
    public async Task List_range_lists_quoted_integer_pairs()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        CollectionAssert.AreEqual(
            new[]
            {
                "BEGIN LIST RANGE static ups.delay.shutdown",
                "RANGE static ups.delay.shutdown \"0\" \"600\"",
                "RANGE static ups.delay.shutdown \"900\" \"1200\"",
                "END LIST RANGE static ups.delay.shutdown",
            },
            await client.RequestListAsync("LIST RANGE static ups.delay.shutdown"));
    }

    [TestMethod]
    public async Task List_enum_and_range_of_unknown_variable_answer_var_not_supported()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("LIST ENUM static no.such"));
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.RequestAsync("LIST RANGE static no.such"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("LIST RANGE nosuch ups.id"));
    }

    [TestMethod]
    public async Task List_on_unknown_ups_answers_unknown_ups()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        foreach (string request in new[] { "LIST VAR nosuch", "LIST RW nosuch", "LIST CMD nosuch", "LIST CLIENT nosuch", "LIST ENUM nosuch x" })
        {
            Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync(request), request);
        }
    }

    [TestMethod]
    public async Task List_with_too_few_words_or_unknown_subcommand_answers_invalid_argument()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        foreach (string request in new[] { "LIST", "LIST VAR", "LIST CLIENT", "LIST ENUM static", "LIST RANGE static", "LIST FOO static x", "LIST FOO" })
        {
            Assert.AreEqual("ERR INVALID-ARGUMENT", await client.RequestAsync(request), request);
        }
    }

    [TestMethod]
    public async Task List_client_shows_each_logged_in_connection_with_the_configured_ups_name()
    {
        await using var bed = new NutTestBed();
        await using var first = await bed.ConnectAsAsync("monsecondary", "secpass");
        Assert.AreEqual("OK", await first.RequestAsync("LOGIN OUTAGE"));
        await using var second = bed.Connect(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.7"), 5000));
        Assert.AreEqual("OK", await second.RequestAsync("USERNAME monprimary"));
        Assert.AreEqual("OK", await second.RequestAsync("PASSWORD primpass"));
        Assert.AreEqual("OK", await second.RequestAsync("LOGIN outage"));
        CollectionAssert.AreEqual(
            new[] { "BEGIN LIST CLIENT Outage", "CLIENT outage 127.0.0.1", "CLIENT outage 192.0.2.7", "END LIST CLIENT Outage" },
            await second.RequestListAsync("LIST CLIENT Outage"));
        CollectionAssert.AreEqual(
            new[] { "BEGIN LIST CLIENT static", "END LIST CLIENT static" },
            await second.RequestListAsync("LIST CLIENT static"));
    }
}
