#!/usr/bin/env bash
# Runs every UpsAgent test on a fresh machine: installs the real peer tools the interop tests talk
# to (when missing), builds the solution, runs all test projects and ends with one summary line
# "N passed, N failed, N skipped". Exit status is the test run's.
set -uo pipefail
cd "$(dirname "$0")/.."

# Each peer tool the interop tests talk to, and the Debian package that brings it.
need_packages=()
need() { [ -x "$1" ] || need_packages+=("$2"); }
need /usr/bin/upsc nut-client
need /usr/bin/upscmd nut-client
need /usr/bin/upsrw nut-client
need /lib/nut/upsd nut-server
need /lib/nut/dummy-ups nut-server
need /usr/sbin/mdadm mdadm
need /usr/bin/isoinfo genisoimage
need /usr/bin/isovfy genisoimage
need /usr/bin/genisoimage genisoimage
need /usr/bin/xorriso xorriso
need /usr/bin/bsdtar libarchive-tools
need /usr/bin/snmpget snmp
need /usr/bin/snmpbulkwalk snmp
need /lib/nut/snmp-ups nut-snmp
need /usr/sbin/snmpd snmpd
need /usr/sbin/snmptrapd snmptrapd
need /usr/bin/snmpsimd snmpsim
need /usr/bin/7z p7zip-full
need /usr/bin/qemu-system-x86_64 qemu-system-x86
need /bin/busybox busybox-static
# The kernel the RAID test boots under qemu to assemble our member images with the real md driver.
compgen -G '/boot/vmlinuz-*-cloud-amd64' >/dev/null || need_packages+=(linux-image-cloud-amd64)
mapfile -t need_packages < <(printf '%s\n' "${need_packages[@]}" | sort -u | sed '/^$/d')
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "installing peer tools: ${need_packages[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "need root to install ${need_packages[*]} (or install them yourself)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null || {
    echo "apt-get install ${need_packages[*]} failed" >&2
    exit 1
  }
  # The packages start nothing we rely on; stop their services if the image started any.
  for s in nut-server nut-monitor nut-driver snmpd snmptrapd; do systemctl stop "$s" >/dev/null 2>&1 || true; done
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "building"
if ! dotnet build UpsAgent.sln -c Debug -nologo -v quiet; then
  echo "0 passed, 1 failed, 0 skipped"
  echo "build failed" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# A hung test is a failure, not a stuck CI: the blame collector dumps and kills it.
dotnet test UpsAgent.sln -c Debug --no-build -nologo --blame-hang-timeout 5m 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# VSTest prints one "Passed!/Failed!  - Failed: a, Passed: b, Skipped: c, Total: d" line per test assembly.
awk -v rc="$rc" '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    line = $0
    gsub(/,/, "", line)
    n = split(line, w, /[ \t]+/)
    for (i = 1; i < n; i++) {
      if (w[i] == "Failed:") f += w[i + 1]
      else if (w[i] == "Passed:") p += w[i + 1]
      else if (w[i] == "Skipped:") s += w[i + 1]
    }
    seen = 1
  }
  END {
    if (!seen) { p = 0; f = 0; s = 0 }
    # A test host that crashed or hung prints no summary of its own: count it as one failure.
    if (rc != 0 && f == 0) f = 1
    printf "%d passed, %d failed, %d skipped\n", p, f, s
  }
' "$log"
exit "$rc"
