#!/bin/sh
# Replays runner output we recorded, so that the engine's orchestration (configure, make, run_tests.sh
# with -g and -t, ACCEL and TIMEOUT) is exercised for real; the real suite cannot be obtained here.
[ -f config.mak ] || { echo "run ./configure first" >&2; exit 1; }
[ -f built ] || { echo "run make first" >&2; exit 1; }
echo "$* ACCEL=$ACCEL TIMEOUT=$TIMEOUT" > args.seen
tap=
group=
while [ $# -gt 0 ]; do
    case $1 in
        -t) tap=1 ;;
        -g) group=$2; shift ;;
    esac
    shift
done
if [ -n "$tap" ]; then
    cat recorded/tap.txt
elif [ -n "$group" ]; then
    # the recorded tests of a group are those named after it (vmx, vmx_*)
    grep -E "^(PASS|FAIL|SKIP) ${group}( |_)" recorded/runner.txt
else
    cat recorded/runner.txt
fi
