#!/usr/bin/env bash
# Tools the firmware tests build their images with (squashfs, cpio) and real binaries
# they put in them (BusyBox, Dropbear), from Debian; also the mipsel builds of
# busybox-static and dropbear-bin as .debs in /var/cache/riskmark/firmware (the tests
# extract them with dpkg-deb). Idempotent.
set -euo pipefail
need=()
command -v mksquashfs >/dev/null || need+=(squashfs-tools)
command -v cpio >/dev/null || need+=(cpio)
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /usr/sbin/dropbear ] || need+=(dropbear-bin)
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/sbin/mkfs.jffs2 ] && [ -x /usr/sbin/ubinize ] || need+=(mtd-utils)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
mksquashfs -version | head -1

# mipsel .debs: the foreign architecture is added only for the download, then removed.
cache=/var/cache/riskmark/firmware
mkdir -p "$cache"
if ! ls "$cache"/busybox-static_*_mipsel.deb "$cache"/dropbear-bin_*_mipsel.deb >/dev/null 2>&1; then
  added=
  if ! dpkg --print-foreign-architectures | grep -qx mipsel; then
    dpkg --add-architecture mipsel
    added=1
  fi
  apt-get update -qq
  # (apt warns that root downloads unsandboxed; harmless)
  (cd "$cache" && apt-get download -qq busybox-static:mipsel dropbear-bin:mipsel)
  if [ -n "$added" ]; then
    dpkg --remove-architecture mipsel
    apt-get update -qq
  fi
fi
ls "$cache"
