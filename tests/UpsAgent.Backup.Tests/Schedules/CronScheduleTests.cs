using UpsAgent.Backup.Schedules;

namespace UpsAgent.Backup.Tests.Schedules;

[TestClass]
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The next <paramref name="count"/> runs in UTC after <paramref name="after"/>, as "yyyy-MM-dd HH:mm" strings.</summary>
    private static string[] Runs(string schedule, string after, int count, TimeZoneInfo? zone = null)
    {
        CronSchedule s = CronSchedule.Parse(schedule);
        var runs = new string[count];
        DateTimeOffset t = At(after);
        for (int i = 0; i < count; i++)
        {
            t = s.Next(t, zone ?? Utc);
            runs[i] = TimeZoneInfo.ConvertTime(t, zone ?? Utc).ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
        }

        return runs;
    }

    [TestMethod]
    public void The_seed_crontab_lines_run_at_their_times()
    {
        // /etc/crontab of the seed's Red Hat 7.3.
        CollectionAssert.AreEqual(new[] { "2003-10-20 10:01 +00:00", "2003-10-20 11:01 +00:00" }, Runs("01 * * * *", "2003-10-20T09:30:00Z", 2));
        CollectionAssert.AreEqual(new[] { "2003-10-21 04:02 +00:00", "2003-10-22 04:02 +00:00" }, Runs("02 4 * * *", "2003-10-20T09:30:00Z", 2));
        CollectionAssert.AreEqual(new[] { "2003-10-26 04:22 +00:00", "2003-11-02 04:22 +00:00" }, Runs("22 4 * * 0", "2003-10-20T09:30:00Z", 2));
        CollectionAssert.AreEqual(new[] { "2003-11-01 04:42 +00:00", "2003-12-01 04:42 +00:00" }, Runs("42 4 1 * *", "2003-10-20T09:30:00Z", 2));
    }

    [TestMethod]
    public void Next_is_strictly_after_the_given_time_even_on_a_run_minute()
    {
        CollectionAssert.AreEqual(new[] { "2026-01-01 00:15 +00:00" }, Runs("*/15 * * * *", "2026-01-01T00:00:00Z", 1));
        CollectionAssert.AreEqual(new[] { "2026-01-01 00:15 +00:00" }, Runs("*/15 * * * *", "2026-01-01T00:00:59Z", 1));
        CollectionAssert.AreEqual(new[] { "2026-01-01 00:00 +00:00" }, Runs("*/15 * * * *", "2025-12-31T23:59:30Z", 1));
    }

    [TestMethod]
    public void Steps_ranges_and_lists_combine()
    {
        CollectionAssert.AreEqual(new[] { "2026-03-02 01:00 +00:00", "2026-03-02 03:00 +00:00", "2026-03-02 05:00 +00:00", "2026-03-02 07:00 +00:00", "2026-03-02 09:00 +00:00", "2026-03-02 23:00 +00:00", "2026-03-03 01:00 +00:00" },
            Runs("0 1-10/2,23 * * *", "2026-03-02T00:00:00Z", 7));
        CollectionAssert.AreEqual(new[] { "2026-03-02 00:05 +00:00", "2026-03-02 00:06 +00:00", "2026-03-02 00:30 +00:00", "2026-03-02 00:45 +00:00", "2026-03-02 01:05 +00:00" },
            Runs("5-6,30/1,45 0-1 * * *".Replace("30/1", "30-30/1"), "2026-03-02T00:00:00Z", 5));
        CollectionAssert.AreEqual(new[] { "2026-03-02 00:00 +00:00", "2026-03-02 00:25 +00:00", "2026-03-02 00:50 +00:00", "2026-03-02 01:00 +00:00" },
            Runs("*/25 * * * *", "2026-03-01T23:59:00Z", 4));
    }

    [TestMethod]
    public void Month_and_weekday_names_are_read_in_any_case_and_in_ranges()
    {
        // 2026-03-02 is a Monday.
        CollectionAssert.AreEqual(new[] { "2026-03-02 03:00 +00:00", "2026-03-03 03:00 +00:00", "2026-03-06 03:00 +00:00", "2026-03-09 03:00 +00:00" },
            Runs("0 3 * Mar-apr MON,tue,Fri", "2026-03-01T00:00:00Z", 4));
        CollectionAssert.AreEqual(new[] { "2026-12-01 00:00 +00:00", "2027-01-01 00:00 +00:00", "2027-12-01 00:00 +00:00" }, Runs("0 0 1 dec,JAN *", "2026-06-01T00:00:00Z", 3));
    }

    [TestMethod]
    public void Zero_and_seven_are_both_sunday()
    {
        string[] zero = Runs("0 12 * * 0", "2026-03-02T00:00:00Z", 3);
        CollectionAssert.AreEqual(zero, Runs("0 12 * * 7", "2026-03-02T00:00:00Z", 3));
        CollectionAssert.AreEqual(zero, Runs("0 12 * * sun", "2026-03-02T00:00:00Z", 3));
        Assert.AreEqual("2026-03-08 12:00 +00:00", zero[0]);

        // 5-7 is Friday, Saturday and Sunday.
        CollectionAssert.AreEqual(new[] { "2026-03-06 12:00 +00:00", "2026-03-07 12:00 +00:00", "2026-03-08 12:00 +00:00", "2026-03-13 12:00 +00:00" },
            Runs("0 12 * * 5-7", "2026-03-02T00:00:00Z", 4));
    }

    [TestMethod]
    public void Both_day_fields_restricted_match_either_one_as_crontab_5_says()
    {
        // "30 4 1,15 * 5": 04:30 on the 1st and 15th of each month, and on every Friday.
        CollectionAssert.AreEqual(new[] { "2026-03-06 04:30 +00:00", "2026-03-13 04:30 +00:00", "2026-03-15 04:30 +00:00", "2026-03-20 04:30 +00:00", "2026-03-27 04:30 +00:00", "2026-04-01 04:30 +00:00" },
            Runs("30 4 1,15 * 5", "2026-03-02T00:00:00Z", 6));
    }

    [TestMethod]
    public void A_day_field_starting_with_a_star_makes_the_rule_and_not_or()
    {
        // Vixie cron: "*/2" in the day of month counts as unrestricted, so the weekday must match as well.
        CollectionAssert.AreEqual(new[] { "2026-03-13 00:00 +00:00", "2026-03-27 00:00 +00:00", "2026-04-03 00:00 +00:00" },
            Runs("0 0 */2 * fri", "2026-03-02T00:00:00Z", 3));
    }

    [TestMethod]
    public void Month_ends_and_leap_years_are_respected()
    {
        CollectionAssert.AreEqual(new[] { "2026-01-31 00:00 +00:00", "2026-03-31 00:00 +00:00", "2026-05-31 00:00 +00:00" }, Runs("0 0 31 * *", "2026-01-01T00:00:00Z", 3));
        CollectionAssert.AreEqual(new[] { "2028-02-29 06:00 +00:00", "2032-02-29 06:00 +00:00" }, Runs("0 6 29 2 *", "2025-03-01T00:00:00Z", 2));

        // 2100 is not a leap year: from 2096 the next February 29th is 2104's.
        CollectionAssert.AreEqual(new[] { "2096-02-29 06:00 +00:00", "2104-02-29 06:00 +00:00" }, Runs("0 6 29 feb *", "2095-01-01T00:00:00Z", 2));
        CollectionAssert.AreEqual(new[] { "2026-12-31 23:59 +00:00", "2027-12-31 23:59 +00:00" }, Runs("59 23 31 12 *", "2026-12-31T23:58:00Z", 2));
    }

    [TestMethod]
    public void Nicknames_mean_their_crontab_fields()
    {
        string after = "2026-03-02T10:30:00Z";
        CollectionAssert.AreEqual(Runs("0 * * * *", after, 3), Runs("@hourly", after, 3));
        CollectionAssert.AreEqual(Runs("0 0 * * *", after, 3), Runs("@daily", after, 3));
        CollectionAssert.AreEqual(Runs("0 0 * * *", after, 3), Runs("@midnight", after, 3));
        CollectionAssert.AreEqual(Runs("0 0 * * 0", after, 3), Runs("@weekly", after, 3));
        CollectionAssert.AreEqual(Runs("0 0 1 * *", after, 3), Runs("@monthly", after, 3));
        CollectionAssert.AreEqual(Runs("0 0 1 1 *", after, 3), Runs("@yearly", after, 3));
        CollectionAssert.AreEqual(Runs("0 0 1 1 *", after, 3), Runs("@ANNUALLY", after, 3));
    }

    [TestMethod]
    public void Times_are_wall_times_of_the_zone()
    {
        // 03:00 in Tokyo (no DST) is 18:00 UTC the day before.
        TimeZoneInfo tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        DateTimeOffset next = CronSchedule.Parse("0 3 * * *").Next(At("2003-10-20T12:00:00Z"), tokyo);
        Assert.AreEqual(At("2003-10-20T18:00:00Z"), next);
    }

    [TestMethod]
    public void A_time_skipped_by_spring_forward_runs_at_the_first_minute_after_the_gap_once()
    {
        // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST.
        CollectionAssert.AreEqual(new[] { "2026-03-29 03:00 +02:00", "2026-03-30 02:30 +02:00" }, Runs("30 2 * * *", "2026-03-28T12:00:00Z", 2, Berlin));

        // Four scheduled minutes in the gap and 03:00 itself: one run at 03:00, then on as usual.
        CollectionAssert.AreEqual(new[] { "2026-03-29 01:45 +01:00", "2026-03-29 03:00 +02:00", "2026-03-29 03:15 +02:00" }, Runs("*/15 1-3 * * *", "2026-03-29T00:35:00Z", 3, Berlin));

        // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT.
        CollectionAssert.AreEqual(new[] { "2026-03-08 03:00 -04:00", "2026-03-09 02:05 -04:00" }, Runs("5 2 * * *", "2026-03-08T05:00:00Z", 2, NewYork));
    }

    [TestMethod]
    public void A_time_repeated_by_fall_back_runs_once_at_its_first_occurrence()
    {
        // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happens twice.
        CollectionAssert.AreEqual(new[] { "2026-10-25 02:30 +02:00", "2026-10-26 02:30 +01:00" }, Runs("30 2 * * *", "2026-10-24T12:00:00Z", 2, Berlin));

        // Every quarter hour from 02:00: the repeated hour's quarters are not run again.
        CollectionAssert.AreEqual(new[] { "2026-10-25 02:45 +02:00", "2026-10-25 03:00 +01:00" }, Runs("*/15 2-3 * * *", "2026-10-25T00:40:00Z", 2, Berlin));

        // Asked from inside the second 02:xx hour, the run of the first one is not repeated.
        DateTimeOffset secondPass = At("2026-10-25T01:10:00Z"); // 02:10 CET
        Assert.AreEqual(At("2026-10-26T01:30:00Z"), CronSchedule.Parse("30 2 * * *").Next(secondPass, Berlin));
    }

    [TestMethod]
    [DataRow("", "0 field(s)")]
    [DataRow("* * * *", "4 field(s)")]
    [DataRow("* * * * * root", "6 field(s)")]
    [DataRow("60 * * * *", "minute field '60': 60 is out of range 0-59")]
    [DataRow("* 24 * * *", "hour field '24': 24 is out of range 0-23")]
    [DataRow("* * 0 * *", "day-of-month field '0': 0 is out of range 1-31")]
    [DataRow("* * 32 * *", "day-of-month field '32'")]
    [DataRow("* * * 13 *", "month field '13': 13 is out of range 1-12")]
    [DataRow("* * * * 8", "day-of-week field '8': 8 is out of range 0-7")]
    [DataRow("* * * foo *", "month field 'foo': 'foo' is not a number 1-12 or a name")]
    [DataRow("* * * * funday", "day-of-week field 'funday'")]
    [DataRow("*/0 * * * *", "minute field '*/0': step '0'")]
    [DataRow("*/x * * * *", "minute field '*/x': step 'x'")]
    [DataRow("5/10 * * * *", "minute field '5/10': a step needs a range or '*'")]
    [DataRow("* 10-2 * * *", "hour field '10-2': range 10-2 runs backwards")]
    [DataRow("1,,2 * * * *", "minute field '1,,2': empty list element")]
    [DataRow("-1 * * * *", "minute field '-1'")]
    [DataRow("/5 * * * *", "minute field '/5'")]
    [DataRow("0 0 30 2 *", "day-of-month field '30': no such day occurs in the months '2'")]
    [DataRow("0 0 31 apr,jun,sep,nov *", "no such day occurs")]
    [DataRow("@reboot", "@reboot is not a time of day")]
    [DataRow("@fortnightly", "unknown nickname '@fortnightly'")]
    public void Bad_schedules_are_refused_naming_the_field(string text, string expected)
    {
        CronFormatException e = Assert.ThrowsExactly<CronFormatException>(() => CronSchedule.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [TestMethod]
    public void February_30th_is_allowed_when_a_weekday_also_matches()
    {
        // With both day fields restricted the weekday alone can match, so this is a valid "Sundays in February".
        CollectionAssert.AreEqual(new[] { "2027-02-07 00:00 +00:00" }, Runs("0 0 30 2 sun", "2026-03-01T00:00:00Z", 1));
    }

    [TestMethod]
    public void Next_runs_are_ordered_and_match_the_fields_over_a_year_of_random_schedules()
    {
        var random = new Random(20031020);
        for (int n = 0; n < 200; n++)
        {
            int minute = random.Next(60);
            int hour = random.Next(24);
            int day = random.Next(1, 29);
            string text = $"{minute} {hour}-23/{random.Next(1, 5)} {day},{random.Next(1, 29)} * *";
            CronSchedule s = CronSchedule.Parse(text);
            DateTimeOffset t = At("2026-01-01T00:00:00Z");
            for (int i = 0; i < 20; i++)
            {
                DateTimeOffset next = s.Next(t, Utc);
                Assert.IsGreaterThan(t, next, text);
                Assert.AreEqual(minute, next.Minute, text);
                Assert.IsGreaterThanOrEqualTo(hour, next.Hour, text);
                Assert.IsTrue(s.RunsOn(DateOnly.FromDateTime(next.UtcDateTime)), text);
                t = next;
            }
        }
    }
}
