#!/usr/bin/env bash
# Simulated devices for the probe tests: BusyBox telnetd and httpd, Dropbear (and
# dropbearkey), openssl s_server (a TLS 1.0-only device and a modern one), iproute2 for
# the network-namespace test, curl for the registry fault loop. Idempotent.
set -euo pipefail
need=()
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /usr/sbin/dropbear ] && command -v dropbearkey >/dev/null || need+=(dropbear-bin)
command -v openssl >/dev/null || need+=(openssl)
command -v ip >/dev/null || need+=(iproute2)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
busybox telnetd --help 2>&1 | head -1 || true
dropbear -V 2>&1 | head -1
openssl version
