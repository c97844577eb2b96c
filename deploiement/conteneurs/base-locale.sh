#!/usr/bin/env bash
# Makes localhost/debian-base:bookworm, a minimal Debian 12 image, on a machine that cannot pull
# from Docker Hub but reaches a Debian mirror: debootstrap (minbase variant) into a folder, then
# `podman import`. construire-image.sh uses it as BASE_IMAGE when SUIVI_HORS_LIGNE=1; with Docker
# Hub, the Containerfile's default (python:3.11-slim-bookworm, as frappe_docker) is better.
# Needs root and the debootstrap package (apt-get install debootstrap).
set -euo pipefail
image="${1:-localhost/debian-base:bookworm}"
miroir="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
dossier="$(mktemp -d)"
trap 'rm -rf "$dossier"' EXIT
debootstrap --variant=minbase bookworm "$dossier" "$miroir"
cat >"$dossier/etc/apt/sources.list" <<SOURCES
deb $miroir bookworm main
deb $miroir bookworm-updates main
deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
SOURCES
rm -rf "$dossier"/var/lib/apt/lists/* "$dossier"/var/cache/apt/archives/*.deb
tar -C "$dossier" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image"
