#!/usr/bin/env bash
# Tools the firmware tests build their images with (squashfs, cpio) and real binaries
# they put in them (BusyBox, Dropbear), from Debian. Idempotent.
set -euo pipefail
need=()
command -v mksquashfs >/dev/null || need+=(squashfs-tools)
command -v cpio >/dev/null || need+=(cpio)
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /usr/sbin/dropbear ] || need+=(dropbear-bin)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
mksquashfs -version | head -1
