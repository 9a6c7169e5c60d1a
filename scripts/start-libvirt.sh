#!/usr/bin/env bash
# Starts libvirt for the real-guest tests on a machine without systemd: virtlogd, libvirtd and
# libvirt's "default" network (virbr0 with DHCP on 192.168.122.0/24). Idempotent: whatever
# already runs is left alone. Needs root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "start-libvirt.sh must run as root (it starts libvirtd and creates virbr0)" >&2
  exit 1
fi

socket=/var/run/libvirt/libvirt-sock

if pgrep -x virtlogd >/dev/null; then
  echo "virtlogd: already running"
else
  virtlogd -d
  echo "virtlogd: started"
fi

if pgrep -x libvirtd >/dev/null; then
  echo "libvirtd: already running"
else
  libvirtd -d
  echo "libvirtd: started"
fi

for _ in $(seq 1 100); do
  [ -S "$socket" ] && break
  sleep 0.1
done
if [ ! -S "$socket" ]; then
  echo "libvirtd did not create $socket within 10 s; see /var/log/libvirt/libvirtd.log" >&2
  exit 1
fi

# virsh waits for libvirtd to answer, so this also checks that the daemon accepts connections.
if ! virsh -q -c qemu:///system net-info default >/dev/null 2>&1; then
  echo "libvirt network 'default' is not defined; define it from /usr/share/libvirt/networks/default.xml" >&2
  virsh -q -c qemu:///system net-define /usr/share/libvirt/networks/default.xml
fi
# Captured first: grep -q would end the pipe early and pipefail would count that as a failure.
info=$(virsh -c qemu:///system net-info default)
if grep -Eq '^Active:[[:space:]]+yes' <<<"$info"; then
  echo "network default: already active"
else
  virsh -q -c qemu:///system net-start default
  echo "network default: started"
fi
if ! grep -Eq '^Autostart:[[:space:]]+yes' <<<"$info"; then
  virsh -q -c qemu:///system net-autostart default
  echo "network default: autostart on"
fi

# The storage pool guest disks are created in (topologies name it with disk.pool, default "default").
if ! virsh -q -c qemu:///system pool-info default >/dev/null 2>&1; then
  virsh -q -c qemu:///system pool-define-as default dir --target /var/lib/libvirt/images
  virsh -q -c qemu:///system pool-build default
  echo "storage pool default: defined at /var/lib/libvirt/images"
fi
info=$(virsh -c qemu:///system pool-info default)
if grep -Eq '^State:[[:space:]]+running' <<<"$info"; then
  echo "storage pool default: already running"
else
  virsh -q -c qemu:///system pool-start default
  echo "storage pool default: started"
fi
if ! grep -Eq '^Autostart:[[:space:]]+yes' <<<"$info"; then
  virsh -q -c qemu:///system pool-autostart default
  echo "storage pool default: autostart on"
fi
