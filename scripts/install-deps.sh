#!/usr/bin/env bash
# Installs what nested-virt needs on a Debian or Ubuntu machine: the tools the benchmarks run
# (guestfish, qemu, iperf3, a kernel source tarball and its build tools) and what the tests use
# (OpenSSH server for real SSH tests, Chromium for the report test, libvirt, qemu-guest-agent for
# the test guest's agent, debootstrap for the root an L1's package install is tested in,
# squashfs-tools and fdisk for the golden image of the L1 that migrates) and genisoimage for the
# cloud-init seed images of guests, and netperf (Debian's non-free component, enabled here in a
# sources file of its own).
# Run as root. Without root it says exactly what is missing and stops.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven
  libguestfs-tools qemu-system-x86 qemu-utils
  libvirt-daemon-system libvirt-daemon-config-network libvirt-clients libvirt0 libxml2-utils dnsmasq-base
  genisoimage qemu-guest-agent debootstrap squashfs-tools fdisk
  openssh-server openssh-client iproute2 procps
  iperf3 netperf busybox-static dropbear-bin cpio gzip
  linux-image-amd64 linux-source-6.1 bc flex bison libelf-dev libssl-dev build-essential xz-utils
  chromium
)

# netperf is in Debian's non-free component, which a stock Debian machine does not enable. A sources
# file of our own adds it, taking the URI and keyring of the machine's existing Debian source so that
# the same mirror (and snapshot, where one is pinned) serves it. Written as root only, and only once.
non_free=/etc/apt/sources.list.d/nested-virt-non-free.sources
enable_non_free() {
  [ -f "$non_free" ] && return 0
  [ -r /etc/os-release ] || return 0
  . /etc/os-release
  [ "${ID:-}" = debian ] || return 0
  local uri="http://deb.debian.org/debian" key="/usr/share/keyrings/debian-archive-keyring.gpg"
  local existing=/etc/apt/sources.list.d/debian.sources
  if [ -r "$existing" ]; then
    # The first stanza is the main archive (the security archive follows it in Debian's own file).
    uri=$(awk '/^URIs:/ {print $2; exit}' "$existing")
    key=$(awk '/^Signed-By:/ {print $2; exit}' "$existing")
  fi
  cat >"$non_free" <<SOURCES
# Written by nested-virt's scripts/install-deps.sh: netperf lives in Debian's non-free component.
Types: deb
URIs: $uri
Suites: $VERSION_CODENAME
Components: non-free
Signed-By: $key
SOURCES
  echo "Enabled Debian's non-free component for netperf: $non_free"
}

if [ "$(id -u)" -eq 0 ]; then enable_non_free; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "nested-virt needs these Debian packages, which are not installed:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "Install them as root (sudo $0, or $0 in a root shell); netperf needs Debian's non-free" >&2
    echo "component, which this script enables." >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# OpenSSH's privilege separation directory; the SSH tests start their own sshd instances.
mkdir -p /run/sshd
echo "nested-virt dependencies are installed."
