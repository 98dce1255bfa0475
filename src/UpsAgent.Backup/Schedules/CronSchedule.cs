using System.Globalization;

namespace UpsAgent.Backup.Schedules;

/// <summary>
/// The time part of a crontab line as Vixie/Debian cron reads it (crontab(5)): five fields (minute, hour,
/// day of month, month, day of week) of numbers, '*', ranges, steps and lists, month and weekday names,
/// 0 and 7 for Sunday, or one of the @hourly...@yearly nicknames. When both day fields are restricted
/// (neither starts with '*'), a day matches if either does, as crontab(5) says.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    // The longest a month can be in any year (February's 29th in leap years), index 1 = January.
    private static readonly int[] LongestMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    // Consecutive February 29ths can lie 8 years apart (2096, 2104): a matching day exists within 9 years.
    private const int SearchDays = 9 * 366;

    private readonly ulong _minutes;
    private readonly uint _hours;
    private readonly uint _days;
    private readonly uint _months;
    private readonly uint _weekdays;
    private readonly bool _dayOfMonthStar;
    private readonly bool _dayOfWeekStar;

    private CronSchedule(string text, ulong minutes, uint hours, uint days, uint months, uint weekdays, bool dayOfMonthStar, bool dayOfWeekStar)
    {
        Text = text;
        _minutes = minutes;
        _hours = hours;
        _days = days;
        _months = months;
        _weekdays = weekdays;
        _dayOfMonthStar = dayOfMonthStar;
        _dayOfWeekStar = dayOfWeekStar;
    }

    /// <summary>The specification as written.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    public static CronSchedule Parse(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.StartsWith('@'))
        {
            string fields = trimmed.ToLowerInvariant() switch
            {
                "@yearly" or "@annually" => "0 0 1 1 *",
                "@monthly" => "0 0 1 * *",
                "@weekly" => "0 0 * * 0",
                "@daily" or "@midnight" => "0 0 * * *",
                "@hourly" => "0 * * * *",
                "@reboot" => throw new CronFormatException("@reboot is not a time of day: a job runs at times, use e.g. @daily"),
                _ => throw new CronFormatException($"unknown nickname '{trimmed}'; expected @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually"),
            };
            return Parse(trimmed, fields);
        }

        return Parse(trimmed, trimmed);
    }

    private static CronSchedule Parse(string text, string fields)
    {
        string[] parts = fields.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw new CronFormatException(
                $"'{text}' has {parts.Length} field(s); a schedule is 5 fields (minute hour day-of-month month day-of-week) or a nickname such as @daily");
        }

        ulong minutes = Field(parts[0], "minute", 0, 59, null);
        uint hours = (uint)Field(parts[1], "hour", 0, 23, null);
        uint days = (uint)Field(parts[2], "day-of-month", 1, 31, null);
        uint months = (uint)Field(parts[3], "month", 1, 12, MonthNames);
        uint weekdays = (uint)Field(parts[4], "day-of-week", 0, 7, DayNames);
        if ((weekdays & (1u << 7)) != 0)
        {
            weekdays = (weekdays | 1u) & 0x7Fu;
        }

        bool dayOfMonthStar = parts[2].StartsWith('*');
        bool dayOfWeekStar = parts[4].StartsWith('*');
        if (!dayOfMonthStar && dayOfWeekStar)
        {
            // Only the day of month decides: refuse "30 2" (February 30th) instead of never running.
            bool possible = Enumerable.Range(1, 12).Any(m => (months & (1u << m)) != 0 && (days & ((2u << LongestMonth[m]) - 2u)) != 0);
            if (!possible)
            {
                throw new CronFormatException($"day-of-month field '{parts[2]}': no such day occurs in the months '{parts[3]}', so the job would never run");
            }
        }

        return new CronSchedule(text, minutes, hours, days, months, weekdays, dayOfMonthStar, dayOfWeekStar);
    }

    /// <summary>One field as a bit set (bit N = value N): lists of '*', N, N-M, each with an optional /STEP.</summary>
    private static ulong Field(string text, string field, int low, int high, string[]? names)
    {
        ulong bits = 0;
        foreach (string element in text.Split(','))
        {
            if (element.Length == 0)
            {
                throw new CronFormatException($"{field} field '{text}': empty list element");
            }

            int slash = element.IndexOf('/', StringComparison.Ordinal);
            string range = slash < 0 ? element : element[..slash];
            int first;
            int last;
            if (range == "*")
            {
                (first, last) = (low, high);
            }
            else
            {
                int dash = range.Length > 1 ? range.IndexOf('-', 1) : -1;
                first = Value(dash < 0 ? range : range[..dash], text, field, low, high, names);
                last = dash < 0 ? first : Value(range[(dash + 1)..], text, field, low, high, names);
                if (dash < 0 && slash >= 0)
                {
                    throw new CronFormatException($"{field} field '{text}': a step needs a range or '*' before it ('{element}')");
                }

                if (last < first)
                {
                    throw new CronFormatException($"{field} field '{text}': range {range} runs backwards");
                }
            }

            int step = 1;
            if (slash >= 0)
            {
                string stepText = element[(slash + 1)..];
                if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > high)
                {
                    throw new CronFormatException($"{field} field '{text}': step '{stepText}' is not a number from 1 to {high}");
                }
            }

            for (int v = first; v <= last; v += step)
            {
                bits |= 1UL << v;
            }
        }

        return bits;
    }

    private static int Value(string word, string text, string field, int low, int high, string[]? names)
    {
        if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return value >= low && value <= high
                ? value
                : throw new CronFormatException($"{field} field '{text}': {word} is out of range {low}-{high}");
        }

        int index = names is null ? -1 : Array.IndexOf(names, word.ToLowerInvariant());
        if (index >= 0)
        {
            // Month names count from 1 (jan), weekday names from 0 (sun).
            return index + low;
        }

        string expected = names is null ? $"a number {low}-{high}" : $"a number {low}-{high} or a name ({string.Join(' ', names)})";
        throw new CronFormatException($"{field} field '{text}': '{word}' is not {expected}");
    }

    /// <summary>Whether cron would run the job on this date (month and the day-of-month/day-of-week rule).</summary>
    public bool RunsOn(DateOnly date)
    {
        if ((_months & (1u << date.Month)) == 0)
        {
            return false;
        }

        bool dayOfMonth = (_days & (1u << date.Day)) != 0;
        bool dayOfWeek = (_weekdays & (1u << (int)date.DayOfWeek)) != 0;
        return _dayOfMonthStar || _dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    /// <summary>
    /// The first run strictly after <paramref name="after"/>, in <paramref name="zone"/>'s wall time. A wall
    /// time that a spring-forward skips runs at the first valid minute after the gap (once, however many
    /// scheduled minutes fell in it); a wall time that a fall-back repeats runs once, at its first occurrence.
    /// </summary>
    public DateTimeOffset Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        DateTime wall = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        DateTime start = new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        DateOnly firstDay = DateOnly.FromDateTime(start);
        for (int d = 0; d <= SearchDays; d++)
        {
            DateOnly day = firstDay.AddDays(d);
            if (!RunsOn(day))
            {
                continue;
            }

            for (int hour = d == 0 ? start.Hour : 0; hour < 24; hour++)
            {
                if ((_hours & (1u << hour)) == 0)
                {
                    continue;
                }

                for (int minute = d == 0 && hour == start.Hour ? start.Minute : 0; minute < 60; minute++)
                {
                    if ((_minutes & (1UL << minute)) == 0)
                    {
                        continue;
                    }

                    DateTimeOffset instant = Instant(day.ToDateTime(new TimeOnly(hour, minute)), zone);
                    if (instant > after)
                    {
                        return instant;
                    }
                }
            }
        }

        throw new InvalidOperationException($"schedule '{Text}' found no time within {SearchDays} days after {after:O}");
    }

    private static DateTimeOffset Instant(DateTime wall, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wall))
        {
            // Skipped by a spring-forward: the first minute that exists after the gap.
            while (zone.IsInvalidTime(wall))
            {
                wall = wall.AddMinutes(1);
            }
        }

        if (zone.IsAmbiguousTime(wall))
        {
            // Repeated by a fall-back: the first occurrence, i.e. the larger UTC offset.
            return new DateTimeOffset(wall, zone.GetAmbiguousTimeOffsets(wall).Max());
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
