#!/usr/bin/env bash
# A trial of compose.yaml on this machine's loopback, with podman-compose: the demo site
# ccas.localhost (demo accounts, password « demo ») behind http://127.0.0.1:$SUIVI_ESSAI_PORT.
# Used by tests/production/test_conteneurs.py; README, « Passer à plusieurs machines ».
#
#   essai-local.sh up          start the stack (images must be built: construire-image.sh) and
#                              wait until the site is created and answers
#   essai-local.sh scale N     N backend (gunicorn) replicas behind the same nginx
#   essai-local.sh exec SERVICE COMMAND...   run a command in a service's first container
#   essai-local.sh ps | logs [SERVICE]
#   essai-local.sh down        remove the containers, the network and the volumes (not the images)
#
# podman-compose comes from PyPI into its own venv (~/.cache/suivi-social/podman-compose) if it is
# not on the PATH. SUIVI_ESSAI_HORS_LIGNE=1 (the default here) adds compose.hors-ligne.yaml:
# MariaDB and Redis built from Debian's packages instead of Docker Hub's images.
set -euo pipefail
ici="$(cd "$(dirname "$0")" && pwd)"
cache="${SUIVI_CACHE_DIR:-$HOME/.cache/suivi-social}"
projet="${SUIVI_ESSAI_PROJET:-suivi-essai}"
port="${SUIVI_ESSAI_PORT:-18080}"
etat="$cache/essai-conteneurs"

export SITE_NAME=ccas.localhost FRAPPE_SITE_NAME_HEADER=ccas.localhost SUIVI_DEMO=1
export HTTP_PUBLISH_PORT="127.0.0.1:$port" PULL_POLICY=never
export CUSTOM_IMAGE="${CUSTOM_IMAGE:-localhost/suivi-social}" CUSTOM_TAG="${CUSTOM_TAG:-v15}"

dire() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

podman_compose() {
	local pc
	pc="$(command -v podman-compose || true)"
	if [ -z "$pc" ]; then
		pc="$cache/podman-compose/bin/podman-compose"
		if [ ! -x "$pc" ]; then
			dire "Installation de podman-compose (PyPI) dans $cache/podman-compose"
			python3 -m venv "$cache/podman-compose"
			"$cache/podman-compose/bin/pip" install -q podman-compose
		fi
	fi
	local fichiers=(-f "$ici/compose.yaml")
	[ "${SUIVI_ESSAI_HORS_LIGNE:-1}" = 1 ] && fichiers+=(-f "$ici/compose.hors-ligne.yaml")
	fichiers+=(-f "$ici/compose.essai-local.yaml")
	"$pc" --project-name "$projet" "${fichiers[@]}" "$@"
}

mots_de_passe() {
	# Drawn once per trial, kept outside the repository, readable by root only.
	mkdir -p "$etat"
	if [ ! -f "$etat/env" ]; then
		(umask 077 && printf 'DB_ROOT_PASSWORD=%s\nADMIN_PASSWORD=%s\n' \
			"$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" \
			"$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >"$etat/env")
	fi
	set -a
	# shellcheck disable=SC1091
	. "$etat/env"
	set +a
}

attendre_le_site() {
	dire "Création du site $SITE_NAME (application et données de démonstration) : quelques minutes"
	local code
	code="$(podman wait "${projet}_create-site_1")"
	if [ "$code" != 0 ]; then
		podman logs --tail 40 "${projet}_create-site_1" >&2
		echo "La création du site a échoué (code $code)." >&2
		exit 1
	fi
	for _ in $(seq 90); do
		if curl -fsS -o /dev/null "http://127.0.0.1:$port/api/method/ping"; then
			dire "Le site répond sur http://127.0.0.1:$port"
			return 0
		fi
		sleep 2
	done
	echo "Le site ne répond pas sur http://127.0.0.1:$port." >&2
	exit 1
}

case "${1:-}" in
up)
	podman image exists "$CUSTOM_IMAGE:$CUSTOM_TAG" ||
		{ echo "Image $CUSTOM_IMAGE:$CUSTOM_TAG absente : lancez construire-image.sh" >&2; exit 1; }
	mots_de_passe
	podman_compose up -d
	attendre_le_site
	;;
scale)
	mots_de_passe
	podman_compose up -d --no-recreate --scale "backend=${2:?nombre de répliques}"
	# nginx resolves "backend" when it reads its configuration: reloaded, it sends requests to
	# every replica. (A podman restart would refuse: the configurator it depends on has exited.)
	podman exec "${projet}_frontend_1" nginx -s reload
	;;
exec)
	shift
	service="${1:?service}"
	shift
	podman exec "${projet}_${service}_1" "$@"
	;;
ps) podman_compose ps ;;
logs)
	shift
	podman_compose logs "$@"
	;;
down)
	mots_de_passe
	podman_compose down -v
	# podman-compose's down misses replicas added by `scale` (and what they depend on): what is
	# left of this project, by its label.
	podman ps -aq --filter "label=io.podman.compose.project=$projet" | xargs -r podman rm -f --depend >/dev/null
	podman pod rm -f --ignore "pod_$projet" >/dev/null
	podman volume ls -q --filter "label=io.podman.compose.project=$projet" | xargs -r podman volume rm >/dev/null
	if podman network exists "${projet}_default"; then podman network rm "${projet}_default" >/dev/null; fi
	rm -rf "$etat"
	;;
*)
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
