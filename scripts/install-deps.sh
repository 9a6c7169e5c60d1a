#!/usr/bin/env bash
# Installs what nested-virt needs on a Debian or Ubuntu machine: the tools the benchmarks run
# (guestfish, qemu, iperf3, a kernel source tarball and its build tools) and what the tests use
# (OpenSSH server for real SSH tests, Chromium for the report test, libvirt, qemu-guest-agent for
# the test guest's agent, debootstrap for the root an L1's package install is tested in,
# squashfs-tools and fdisk for the golden image of the L1 that migrates) and genisoimage for the
# cloud-init seed images of guests.
# Run as root. Without root it says exactly what is missing and stops.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven
  libguestfs-tools qemu-system-x86 qemu-utils
  libvirt-daemon-system libvirt-daemon-config-network libvirt-clients libvirt0 libxml2-utils dnsmasq-base
  genisoimage qemu-guest-agent debootstrap squashfs-tools fdisk
  openssh-server openssh-client iproute2 procps
  iperf3 busybox-static dropbear-bin cpio gzip
  linux-source-6.1 bc flex bison libelf-dev libssl-dev build-essential xz-utils
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "nested-virt needs these Debian packages, which are not installed:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "Install them as root: sudo $0   (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# OpenSSH's privilege separation directory; the SSH tests start their own sshd instances.
mkdir -p /run/sshd
echo "nested-virt dependencies are installed."
