#!/usr/bin/env bash
# Installs the Debian packages swetcd builds against and tests with. Idempotent; needs root
# (or sudo). Swift itself is expected at /opt/swift or on PATH.
#   build:  libnghttp2-dev (HTTP/2), libssl-dev (SHA-1 now, TLS later), pkg-config
#   tests:  etcd-server + etcd-client (the oracle and etcdctl), Go + bbolt + etcd sources (the
#           bbolt checker, Scripts/boltcheck.sh), protobuf-compiler (independent
#           codec for golden bytes), nghttp2-client, curl, xxd (raw gRPC calls in e2e),
#           python3-etcd3gw + python3-prometheus-client (the gateway's client library and the
#           /metrics parser, Scripts/e2e-gateway.sh), python3-venv (the virtualenv that
#           Scripts/e2e-clients.sh installs third-party etcd clients into from PyPI)
set -euo pipefail
packages=(libnghttp2-dev libssl-dev libcrypt-dev pkg-config)
if [[ ${1:-} == --with-tests ]]; then
  packages+=(etcd-server etcd-client protobuf-compiler nghttp2-client curl xxd python3 openssl
             golang-go golang-github-coreos-bbolt-dev golang-etcd-server-dev
             python3-etcd3gw python3-prometheus-client python3-venv)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
sudo=""
[[ $(id -u) == 0 ]] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian's etcd-server package may start a system etcd on 2379; swetcd's README command needs
# that port, and tests must not talk to it by accident. Stop it if the package started one.
if [[ " ${missing[*]} " == *" etcd-server "* ]] && command -v systemctl >/dev/null 2>&1; then
  $sudo systemctl disable --now etcd >/dev/null 2>&1 || true
fi
