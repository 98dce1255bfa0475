using System.Globalization;
using System.Text;

namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>
/// The busybox shell script the guest runs: disks are found by their virtio serial, every step reports
/// one "tag key=value…" line on the second serial port. Every wait is bounded.
/// </summary>
internal sealed class GuestScript
{
    private readonly StringBuilder _text = new();
    private int _nextMd = 1;

    public GuestScript(int diskCount) => _text.Append(CultureInfo.InvariantCulture, $$"""
        # Each line carries the guest's uptime, so a transcript shows where the time went.
        say() { echo "$* t=$(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS1; }
        # Bounded: 1500 × 0.2 s.
        wait_idle() {
          n=0
          while [ "$(cat /sys/block/$1/md/sync_action)" != idle ] && [ $n -lt 1500 ]; do sleep 0.2; n=$((n+1)); done
        }
        n=0
        while [ "$(ls /sys/block | grep -c '^vd')" -lt {{diskCount}} ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n+1)); done
        mkdir -p /dev/disk
        for d in /sys/block/vd*; do ln -s /dev/${d##*/} /dev/disk/$(cat $d/serial); done
        say "boot disks=$(ls /dev/disk | wc -l) kernel=$(uname -r)"

        """);

    public string Text => _text.ToString();

    /// <summary>Assembles the members, hashes /dev/mdX, runs md's check scrub and reports mismatch_cnt.</summary>
    public void AssembleAndCheck(string tag, IEnumerable<string> serials)
    {
        string md = $"md{_nextMd++}";
        _text.Append(CultureInfo.InvariantCulture, $"""
            mdadm --assemble /dev/{md} --run {Devices(serials)}
            sha=$(sha256sum /dev/{md} | cut -d' ' -f1)
            echo check > /sys/block/{md}/md/sync_action
            wait_idle {md}
            say "{tag} sha=$sha size=$(blockdev --getsize64 /dev/{md}) level=$(cat /sys/block/{md}/md/level) degraded=$(cat /sys/block/{md}/md/degraded) action=$(cat /sys/block/{md}/md/last_sync_action) mismatch=$(cat /sys/block/{md}/md/mismatch_cnt)"
            mdadm --stop /dev/{md}

            """);
    }

    /// <summary>Assembles read-only from the given members only (others missing) and hashes /dev/mdX.</summary>
    public void AssembleDegraded(string tag, IEnumerable<string> serials)
    {
        string md = $"md{_nextMd++}";
        _text.Append(CultureInfo.InvariantCulture, $"""
            mdadm --assemble /dev/{md} --readonly --run {Devices(serials)}
            sha=$(sha256sum /dev/{md} | cut -d' ' -f1)
            say "{tag} sha=$sha size=$(blockdev --getsize64 /dev/{md}) degraded=$(cat /sys/block/{md}/md/degraded)"
            mdadm --stop /dev/{md}

            """);
    }

    /// <summary>
    /// Assembles an array whose member <paramref name="recovering"/> is part rebuilt, read-only first:
    /// reports the recovery_start md took from its superblock, the degraded count and the hash as read
    /// then; then read-write, so md resumes the recovery itself; once idle the hash again and a check.
    /// </summary>
    public void AssembleRecovering(string tag, IEnumerable<string> serials, string recovering)
    {
        string md = $"md{_nextMd++}";
        _text.Append(CultureInfo.InvariantCulture, $$"""
            mdadm --assemble /dev/{{md}} --readonly --run {{Devices(serials)}}
            dev=$(readlink /dev/disk/{{recovering}})
            ro_start=$(cat /sys/block/{{md}}/md/dev-${dev##*/}/recovery_start)
            ro_degraded=$(cat /sys/block/{{md}}/md/degraded)
            ro_sha=$(sha256sum /dev/{{md}} | cut -d' ' -f1)
            mdadm --readwrite /dev/{{md}}
            # Bounded: 1500 × 0.2 s for the recovery to run and md to take the member in.
            n=0
            while [ "$(cat /sys/block/{{md}}/md/degraded)" != 0 ] && [ $n -lt 1500 ]; do sleep 0.2; n=$((n+1)); done
            wait_idle {{md}}
            recovered=$(cat /sys/block/{{md}}/md/last_sync_action)
            sha=$(sha256sum /dev/{{md}} | cut -d' ' -f1)
            echo check > /sys/block/{{md}}/md/sync_action
            wait_idle {{md}}
            say "{{tag}} ro_start=$ro_start ro_degraded=$ro_degraded ro_sha=$ro_sha recovered=$recovered sha=$sha size=$(blockdev --getsize64 /dev/{{md}}) degraded=$(cat /sys/block/{{md}}/md/degraded) action=$(cat /sys/block/{{md}}/md/last_sync_action) mismatch=$(cat /sys/block/{{md}}/md/mismatch_cnt)"
            mdadm --stop /dev/{{md}}

            """);
    }

    /// <summary>
    /// Assembles all the members, one of them out of date (<paramref name="stale"/>): reports whether md
    /// took it in at assembly (its state, or "out") and the degraded count then; with
    /// <paramref name="reAdd"/> then mdadm --re-add's exit code and waits for the recovery; finally the
    /// member's state, the hash and a check.
    /// </summary>
    public void AssembleWithStaleMember(string tag, IEnumerable<string> serials, string stale, bool reAdd)
    {
        string md = $"md{_nextMd++}";
        string readd = reAdd
            ? $$"""
                mdadm /dev/{{md}} --re-add /dev/disk/{{stale}}
                readd=$?
                n=0
                while [ "$(cat /sys/block/{{md}}/md/degraded)" != 0 ] && [ $n -lt 1500 ]; do sleep 0.2; n=$((n+1)); done
                wait_idle {{md}}

                """
            : "readd=none\n";
        _text.Append(CultureInfo.InvariantCulture, $$"""
            mdadm --assemble /dev/{{md}} --run {{Devices(serials)}}
            dev=$(readlink /dev/disk/{{stale}})
            member=/sys/block/{{md}}/md/dev-${dev##*/}
            member_state() { if [ -e $member/state ]; then tr ',' '+' < $member/state; else echo out; fi; }
            at_assembly=$(member_state)
            assembled_degraded=$(cat /sys/block/{{md}}/md/degraded)
            {{readd}}state=$(member_state)
            sha=$(sha256sum /dev/{{md}} | cut -d' ' -f1)
            echo check > /sys/block/{{md}}/md/sync_action
            wait_idle {{md}}
            say "{{tag}} at_assembly=$at_assembly assembled_degraded=$assembled_degraded readd=$readd state=$state sha=$sha degraded=$(cat /sys/block/{{md}}/md/degraded) action=$(cat /sys/block/{{md}}/md/last_sync_action) mismatch=$(cat /sys/block/{{md}}/md/mismatch_cnt)"
            mdadm --stop /dev/{{md}}

            """);
    }

    /// <summary>mdadm --create on blank disks, waits for the initial sync, fills the array from /dev/urandom, hashes it.</summary>
    public void CreateAndFill(string tag, int level, IReadOnlyList<string> serials, string options)
    {
        string md = $"md{_nextMd++}";
        _text.Append(CultureInfo.InvariantCulture, $"""
            mdadm --create /dev/{md} --metadata=1.2 --level={level} --raid-devices={serials.Count} --name={tag} --run {options} {Devices(serials)}
            wait_idle {md}
            dd if=/dev/urandom of=/dev/{md} bs=64k 2>/dev/null
            sync
            sha=$(sha256sum /dev/{md} | cut -d' ' -f1)
            say "{tag} sha=$sha size=$(blockdev --getsize64 /dev/{md}) level=$(cat /sys/block/{md}/md/level)"
            mdadm --stop /dev/{md}

            """);
    }

    public void End() => _text.Append("say \"done\"\n");

    private static string Devices(IEnumerable<string> serials) => string.Join(' ', serials.Select(s => $"/dev/disk/{s}"));
}
