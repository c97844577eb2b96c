#!/usr/bin/env bash
# Builds the Suivi social image (Containerfile beside this script) with podman, from the
# repository root. Options are passed on to `podman build` (for example --build-arg ...).
#
# Default: Frappe from GitHub at the pinned commit, base image python:3.11-slim-bookworm from
# Docker Hub, wkhtmltopdf from GitHub: what a machine with internet access needs.
#
# SUIVI_HORS_LIGNE=1 builds on a machine that reaches only the PyPI, npm and Debian mirrors (this
# project's build machine): local Debian 12 base image (base-locale.sh), Frappe from the local
# clone (~/.cache/suivi-social/frappe, the cache ../../suivi fills), air-datepicker from npm,
# Debian's wkhtmltopdf, and the host's extra CA certificates for the build (TLS proxy).
set -euo pipefail
ici="$(cd "$(dirname "$0")" && pwd)"
racine="$(cd "$ici/../.." && pwd)"
image="${SUIVI_IMAGE:-localhost/suivi-social:v15}"
# The commit ../../suivi installs: one source of truth.
frappe_ref="$(sed -n 's/^FRAPPE_REF="${FRAPPE_REF:-\([0-9a-f]*\)}"$/\1/p' "$racine/suivi")"
[ -n "$frappe_ref" ] || { echo "FRAPPE_REF introuvable dans ./suivi" >&2; exit 1; }

args=(--build-arg "FRAPPE_REF=$frappe_ref")
if [ "${SUIVI_HORS_LIGNE:-0}" = 1 ]; then
	cache="${SUIVI_CACHE_DIR:-$HOME/.cache/suivi-social}/frappe"
	[ -d "$cache/.git" ] || { echo "Pas de clone local de Frappe dans $cache (lancez ./suivi setup)" >&2; exit 1; }
	podman image exists localhost/debian-base:bookworm || "$ici/base-locale.sh"
	args+=(
		--build-arg BASE_IMAGE=localhost/debian-base:bookworm
		--build-arg FRAPPE_PATH=/frappe-source
		--build-arg AIR_DATEPICKER=npm
		--build-arg WKHTMLTOPDF=debian
		-v "$cache:/frappe-source:ro"
	)
	if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
		args+=(-v /usr/local/share/ca-certificates:/usr/local/share/ca-certificates-build:ro)
	fi
fi

cd "$racine"
exec podman build -f deploiement/conteneurs/Containerfile \
	--ignorefile deploiement/conteneurs/Containerfile.dockerignore \
	"${args[@]}" -t "$image" "$@" .
