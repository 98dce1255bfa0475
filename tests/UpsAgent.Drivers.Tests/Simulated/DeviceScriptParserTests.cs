using System.Text;
using UpsAgent.Drivers.Simulated;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class DeviceScriptParserTests
{
    private static DeviceScript Parse(string text) => DeviceScriptParser.Parse(text, "test.dev");

    private static SetVariableStep OnlySet(string text) =>
        (SetVariableStep)Parse(text).Steps.Single();

    [TestMethod]
    public void Name_value_lines_become_set_steps_in_file_order_with_line_numbers()
    {
        DeviceScript script = Parse("ups.status: OL CHRG\nbattery.charge: 100\n");

        Assert.HasCount(2, script.Steps);
        Assert.AreEqual(new SetVariableStep(1, "ups.status", "OL CHRG"), script.Steps[0]);
        Assert.AreEqual(new SetVariableStep(2, "battery.charge", "100"), script.Steps[1]);
        Assert.AreEqual("test.dev", script.SourceName);
    }

    [TestMethod]
    public void Unquoted_words_are_joined_by_single_spaces_as_dummy_ups_does()
    {
        Assert.AreEqual("Done and passed", OnlySet("ups.test.result:   Done \t and   passed  ").Value);
    }

    [TestMethod]
    public void Quoted_value_keeps_its_spaces_and_hash_signs()
    {
        Assert.AreEqual("rack  #2", OnlySet("ups.id: \"rack  #2\"").Value);
    }

    [TestMethod]
    public void Backslash_takes_the_next_character_literally()
    {
        Assert.AreEqual("say \"hi\" #1 a\\b", OnlySet("device.description: say \\\"hi\\\" \\#1 a\\\\b").Value);
        Assert.AreEqual("quoted \"inner\"", OnlySet("device.description: \"quoted \\\"inner\\\"\"").Value);
    }

    [TestMethod]
    public void Backslash_at_the_end_of_a_line_joins_the_next_line_and_keeps_the_first_line_number()
    {
        DeviceScript script = Parse("# head\ndevice.description: first \\\nsecond\nups.load: 5\n");

        Assert.AreEqual(new SetVariableStep(2, "device.description", "first second"), script.Steps[0]);
        Assert.AreEqual(new SetVariableStep(4, "ups.load", "5"), script.Steps[1]);
    }

    [TestMethod]
    public void Comments_and_blank_lines_are_skipped_and_line_numbers_stay_true()
    {
        DeviceScript script = Parse("# a comment\n\n   \t\nups.load: 18 # trailing comment\n#ups.load: 99\n");

        Assert.AreEqual(new SetVariableStep(4, "ups.load", "18"), script.Steps.Single());
    }

    [TestMethod]
    public void Crlf_and_a_missing_final_newline_are_accepted()
    {
        DeviceScript script = Parse("ups.status: OB\r\nTIMER 5\r\nups.status: OL");

        Assert.AreEqual(new SetVariableStep(1, "ups.status", "OB"), script.Steps[0]);
        Assert.AreEqual(new TimerStep(2, 5), script.Steps[1]);
        Assert.AreEqual(new SetVariableStep(3, "ups.status", "OL"), script.Steps[2]);
    }

    [TestMethod]
    public void Byte_order_mark_at_the_start_is_ignored()
    {
        Assert.AreEqual("ups.load", OnlySet("\uFEFFups.load: 1").Name);
    }

    [TestMethod]
    public void Timer_lines_become_timer_steps_and_count_towards_the_pass_length()
    {
        DeviceScript script = Parse("a.b: 1\nTIMER 10\na.b: 2\nTIMER 0\nTIMER 5\n");

        Assert.AreEqual(new TimerStep(2, 10), script.Steps[1]);
        Assert.AreEqual(new TimerStep(4, 0), script.Steps[3]);
        Assert.IsTrue(script.HasTimers);
        Assert.AreEqual(15L, script.TotalTimerSeconds);
    }

    [TestMethod]
    public void Alarm_with_text_raises_and_bare_alarm_clears()
    {
        DeviceScript script = Parse("ALARM Replace battery now\nALARM\n");

        Assert.AreEqual(new AlarmStep(1, "Replace battery now"), script.Steps[0]);
        Assert.AreEqual(new AlarmStep(2, ""), script.Steps[1]);
    }

    [TestMethod]
    public void Empty_quoted_value_and_missing_value_both_mean_remove()
    {
        Assert.AreEqual("", OnlySet("ups.alarm: \"\"").Value);
        Assert.AreEqual("", OnlySet("ups.alarm:").Value);
    }

    [TestMethod]
    public void Value_attached_to_the_colon_is_part_of_the_value()
    {
        Assert.AreEqual(new SetVariableStep(1, "ups.load", "18 %"), OnlySet("ups.load:18 %"));
    }

    [TestMethod]
    public void Names_with_capitals_digits_and_dashes_are_accepted()
    {
        Assert.AreEqual("input.L1-N.voltage", OnlySet("input.L1-N.voltage: 230").Name);
    }

    [TestMethod]
    [DataRow("ups.load: 1\nups.status OL\n", 2, "expected 'name: value'")]
    [DataRow("TIMER\n", 1, "TIMER takes one number of seconds, got 0 words")]
    [DataRow("a.b: 1\n\nTIMER 5 6\n", 3, "got 2 words")]
    [DataRow("TIMER soon\n", 1, "got 'soon'")]
    [DataRow("TIMER -5\n", 1, "got '-5'")]
    [DataRow("TIMER 99999999999\n", 1, "got '99999999999'")]
    [DataRow("timer 5\n", 1, "expected 'name: value'")]
    [DataRow("a.b: 1\nups.id: \"open\n", 2, "unterminated quoted value")]
    [DataRow("ups.id: \"open", 1, "unterminated quoted value")]
    [DataRow("bad name: 1\n", 1, "expected 'name: value'")]
    [DataRow("ups..load: 1\n", 1, "'ups..load' is not a variable name")]
    [DataRow(".ups: 1\n", 1, "is not a variable name")]
    [DataRow(": 1\n", 1, "is not a variable name")]
    [DataRow("ups/load: 1\n", 1, "is not a variable name")]
    [DataRow("a.b: 1\na.b: x\0y\n", 2, "unexpected character U+0000")]
    [DataRow("a.b: \u0001\n", 1, "U+0001; is this a text file?")]
    [DataRow("a.b: caf\uFFFD\n", 1, "U+FFFD")]
    [DataRow("a.b: 1 \\", 1, "backslash at the end of the file")]
    public void Bad_input_is_rejected_naming_file_line_and_problem(string text, int line, string problem)
    {
        DeviceScriptException error = Assert.ThrowsExactly<DeviceScriptException>(() => Parse(text));

        Assert.AreEqual(line, error.LineNumber);
        Assert.AreEqual("test.dev", error.SourceName);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"test.dev line {line}: ", error.Message);
    }

    [TestMethod]
    public void Error_line_number_counts_crlf_lines_and_continuations()
    {
        DeviceScriptException error = Assert.ThrowsExactly<DeviceScriptException>(
            () => Parse("a.b: 1 \\\r\n2\r\n\r\nnonsense\r\n"));

        Assert.AreEqual(4, error.LineNumber);
    }

    [TestMethod]
    public void Empty_text_gives_an_empty_script()
    {
        Assert.IsEmpty(Parse("").Steps);
        Assert.IsEmpty(Parse("# only a comment\n\n").Steps);
    }

    [TestMethod]
    public void File_that_is_not_utf8_is_reported_with_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"upsagent-{Guid.NewGuid():N}.dev");
        File.WriteAllBytes(path, [(byte)'a', (byte)':', (byte)' ', 0xC3, 0x28, 0xFF, (byte)'\n']);
        try
        {
            DeviceScriptException error = Assert.ThrowsExactly<DeviceScriptException>(() => DeviceDefinition.FromFile(path));

            Assert.AreEqual(path, error.SourceName);
            Assert.Contains("not a UTF-8 text file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void File_definition_is_named_by_its_path_and_defaults_its_mode_by_extension()
    {
        string path = Path.Combine(Path.GetTempPath(), $"upsagent-{Guid.NewGuid():N}.seq");
        File.WriteAllText(path, "ups.status: OL\nTIMER 1\n", new UTF8Encoding(true));
        try
        {
            DeviceDefinition definition = DeviceDefinition.FromFile(path);

            Assert.AreEqual(path, definition.Name);
            Assert.AreEqual(SequenceMode.Loop, definition.DefaultMode);
            Assert.HasCount(2, definition.Parse().Steps);
            Assert.AreEqual(SequenceMode.Once, new DeviceDefinition("x.dev", "").DefaultMode);
            Assert.AreEqual(SequenceMode.Once, new DeviceDefinition("x.txt", "").DefaultMode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Bounded fuzz: random and mutated inputs either parse or fail with a DeviceScriptException, nothing else.
    [TestMethod]
    public void Random_and_mutated_input_never_fails_with_anything_but_a_script_error()
    {
        var random = new Random(1500);
        string seed = SimulatedDevices.Outage.Text;
        const string alphabet = "ab.:# \"\\\n\r\tTIMERALARM0123456789-\0\u00e9\uFFFD";
        for (int round = 0; round < 2000; round++)
        {
            string text;
            if (round % 2 == 0)
            {
                char[] chars = new char[random.Next(0, 200)];
                for (int i = 0; i < chars.Length; i++)
                {
                    chars[i] = alphabet[random.Next(alphabet.Length)];
                }

                text = new string(chars);
            }
            else
            {
                var builder = new StringBuilder(seed);
                for (int edits = random.Next(1, 8); edits > 0; edits--)
                {
                    int at = random.Next(builder.Length);
                    builder[at] = alphabet[random.Next(alphabet.Length)];
                }

                text = builder.ToString();
            }

            try
            {
                DeviceScript script = DeviceScriptParser.Parse(text, "fuzz.seq");
                Assert.IsTrue(script.Steps.All(s => s.LineNumber >= 1));
            }
            catch (DeviceScriptException error)
            {
                Assert.IsGreaterThanOrEqualTo(1, error.LineNumber);
            }
        }
    }
}
