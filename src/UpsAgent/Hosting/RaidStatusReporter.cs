using System.Globalization;
using UpsAgent.Console.Repl;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;

namespace UpsAgent.Hosting;

/// <summary>The arrays' part of "status", and the text of "raid list" and "raid detail".</summary>
public sealed class RaidStatusReporter(RaidService raid) : IStatusReporter
{
    public string Name => "raid";

    public void WriteStatus(TextWriter output)
    {
        foreach (ManagedArray a in raid.Arrays)
        {
            WriteSummary(a, output);
        }
    }

    /// <summary>One line: name, level, state, members in sync, events, and the pass in progress.</summary>
    public static void WriteSummary(ManagedArray a, TextWriter output)
    {
        if (a.Array is not { } array)
        {
            output.WriteLine($"  {a.Name}: not assembled: {a.Error}");
            return;
        }

        ArrayGeometry g = array.Geometry;
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"  {a.Name}: raid{(int)g.Level} {array.StateText}, {g.RaidDisks - array.DegradedCount}/{g.RaidDisks} in sync, events {array.Events}");
        if (array.Activity is { } act)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", {act.Action} {act.Percent:0.0}%{(act.Paused ? " (paused)" : string.Empty)}");
        }

        output.WriteLine(line);
    }

    public static void WriteDetail(ManagedArray a, TextWriter output)
    {
        if (a.Array is not { } array)
        {
            output.WriteLine($"{a.Name}: not assembled: {a.Error}");
            foreach (string w in a.Warnings)
            {
                output.WriteLine($"  warning: {w}");
            }

            return;
        }

        ArrayGeometry g = array.Geometry;
        Field(output, "Array", a.Name);
        Field(output, "Array UUID", array.Uuid.ToString());
        Field(output, "Raid Level", $"raid{(int)g.Level}");
        Field(output, "Array Size", string.Create(CultureInfo.InvariantCulture, $"{array.LengthBytes} bytes ({array.LengthBytes / 1048576.0:0.00} MiB)"));
        if (g.Level is not (RaidLevel.Raid0 or RaidLevel.Raid1))
        {
            Field(output, "Layout", $"{LayoutNames.Describe(g.Level, g.Layout)}, chunk {g.ChunkSectors / 2}K");
        }

        Field(output, "Events", array.Events.ToString(CultureInfo.InvariantCulture));
        Field(output, "State", array.StateText);
        Field(output, "Consistency", array.Bitmap is { } bitmap
            ? $"bitmap ({bitmap.Bits} x {bitmap.Header.ChunkBytes / 1024}K chunks, {bitmap.DirtyCount} dirty)"
            : "resync");
        Field(output, "Sync Speed", $"min {array.Throttle.MinKibPerSecond} KiB/s, max {array.Throttle.MaxKibPerSecond} KiB/s");
        if (array.Activity is { } act)
        {
            Field(output, "Activity", string.Create(CultureInfo.InvariantCulture, $"{act.Action} {act.Percent:0.0}% ({act.DoneSectors}/{act.TotalSectors} sectors){(act.Paused ? ", paused" : string.Empty)}"));
        }
        else if (array.Throttle.Paused)
        {
            Field(output, "Activity", "paused (the next pass waits for 'raid resume')");
        }

        if (a.LastResult is { } last)
        {
            Field(output, "Last Pass", last);
        }

        foreach (RaidMember m in array.Members.OrderBy(m => m.Slot < 0 ? int.MaxValue : m.Slot))
        {
            string state = m.State switch
            {
                MemberState.Recovering => string.Create(CultureInfo.InvariantCulture, $"recovering {100.0 * m.RecoveredSectors / g.MemberSectors:0.0}%"),
                MemberState.Faulty => $"faulty ({m.FailReason})",
                _ => m.State.ToString().ToLowerInvariant(),
            };
            output.WriteLine($"  {(m.Slot >= 0 ? m.Slot.ToString(CultureInfo.InvariantCulture) : "-"),4}  {state,-24} {m.Device.Name}");
        }

        for (int slot = 0; slot < g.RaidDisks; slot++)
        {
            if (array.MemberInSlot(slot) is null)
            {
                output.WriteLine($"  {slot,4}  missing");
            }
        }

        foreach (string w in a.Warnings)
        {
            output.WriteLine($"  warning: {w}");
        }
    }

    private static void Field(TextWriter output, string name, string value) => output.WriteLine($"{name,15} : {value}");
}
