#!/usr/bin/env bash
# Runs every test of nested-virt. As root it first installs and prepares what the tests need;
# otherwise it checks and says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
if [ "$(id -u)" -eq 0 ]; then
  # What a KVM host under systemd has mounted: debugfs (kvm_stat's counters) and tracefs (its
  # tracepoints). A machine without systemd or a container may have neither.
  # Where mounting is refused (some containers), the tests read the machine as it is.
  for fs in debugfs:/sys/kernel/debug tracefs:/sys/kernel/tracing; do
    mountpoint -q "${fs#*:}" || mount -t "${fs%%:*}" "${fs%%:*}" "${fs#*:}" \
      || echo "could not mount ${fs%%:*} on ${fs#*:}: the kvm_stat tests read this machine without it" >&2
  done
  # The real-guest tests (L1 under libvirt) need libvirtd and its default network.
  scripts/start-libvirt.sh
fi

# Guests and appliances in the tests run under TCG unless KVM really works (see nvmx preflight).
# The kernel build inside the TCG L1 (about 7 minutes) and the real install of qemu and libvirt
# into a debootstrap root (about 2 minutes, downloads from Debian's archive) are left out of a plain
# `mvn verify`; every test run of this script includes them.
# The upstream kvm-unit-tests tarball is test data kept beside the clone, never in it; without it
# the kvm-unit-tests tests run the recorded runner output instead.
kut=()
tarball=$(ls ../shared/testdata/kvm-unit-tests-*.tar.gz 2>/dev/null | head -n 1 || true)
if [ -n "$tarball" ]; then
  kut=(-Dnvmx.test.kvmUnitTestsTarball="$(realpath "$tarball")")
else
  echo "no kvm-unit-tests tarball in $(realpath -m ../shared/testdata): its tests use the recorded runner output"
fi
# The Jenkins plugin is compiled here against the real Jenkins sources where they are checked out
# (scripts/jenkins-sources.sh); with the Jenkins Maven repository, `mvn -Pjenkins verify` builds it.
jenkins_sources=${NVMX_JENKINS_SOURCES:-../shared/jenkins-sources}
if [ -d "$jenkins_sources" ]; then
  scripts/jenkins-compile-check.sh "$jenkins_sources"
else
  echo "no Jenkins sources in $(realpath -m "$jenkins_sources"): the plugin's compile check is left out (scripts/jenkins-sources.sh)"
fi
exec mvn -B -ntp verify -Dnvmx.test.l1KernelBuild=true -Dnvmx.test.realInstall=true "${kut[@]}" "$@"
