#!/usr/bin/env bash
# Time and peak memory of `nvmx import` on large inputs: kvm-unit-tests runner logs of 1 MB and 50 MB
# and a 50 MB guestfish loop, each with the JVM's default heap and with -Xmx512m.
# Build first (mvn -B -ntp -DskipTests install); needs GNU time (/usr/bin/time, Debian package time).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/nvmx.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One runner line per test, as run_tests.sh prints them: 3 of 5 pass, 1 fails, 1 is skipped.
runner_log() {
  awk -v bytes="$2" 'BEGIN { while (size < bytes) { n++; k = n % 5;
      if (k == 3) line = sprintf("FAIL test_%07d (12 tests, 1 unexpected failures)", n);
      else if (k == 4) line = sprintf("SKIP test_%07d (not supported on this host)", n);
      else line = sprintf("PASS test_%07d (15 tests)", n);
      print line; size += length(line) + 1 } }' > "$1"
}
guestfish_log() {
  awk -v bytes="$2" 'BEGIN { while (size < bytes) { printf "libguestfs: launch\n\nreal\t0m2.345s\nuser\t0m0.120s\nsys\t0m0.080s\n"; size += 60 } }' > "$1"
}

runner_log "$work/kut-1m.log" $((1 << 20))
runner_log "$work/kut-50m.log" $((50 << 20))
guestfish_log "$work/guestfish-50m.log" $((50 << 20))

printf '%-22s %-10s %9s %14s %5s\n' input heap seconds "peak RSS MiB" exit
for input in kut-1m kut-50m guestfish-50m; do
  format=kvm-unit-tests
  [ "$input" = guestfish-50m ] && format=guestfish-loop
  for heap in default 512m; do
    opts=()
    [ "$heap" = 512m ] && opts=(-Xmx512m)
    /usr/bin/time -o "$work/time" -f '%e %M %x' java "${opts[@]}" -jar "$jar" import "$format" \
      "$work/$input.log" --level L1 --results "$work/results-$input-$heap" > /dev/null 2>&1 || true
    read -r seconds rss status < <(tail -1 "$work/time" | awk '{print $(NF-2), $(NF-1), $NF}')
    printf '%-22s %-10s %9s %14d %5s\n' "$input.log" "$heap" "$seconds" $((rss / 1024)) "$status"
  done
done
