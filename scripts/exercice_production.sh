#!/usr/bin/env bash
# Production drill (README, « Mise en production »): runs ./suivi production for real on this machine,
# twice, and checks what the CI cannot (root, nginx on ports 80/443, supervisor):
#   - the second run changes no file (checksums of every file it writes, in the bench and in /etc);
#   - https://ccas.exemple.fr (self-signed certificate made here, curl --resolve) answers the login
#     page with the security headers; http:// redirects to https://; no Werkzeug debugger;
#   - only nginx listens beyond 127.0.0.1;
#   - supervisor brings the web back after its master is killed, and gunicorn a killed worker;
#   - logrotate accepts the generated file.
# Then it stops what it started and removes what it installed, unless --garder.
#
# It runs in a bench of its own (default /tmp/suivi-prod, SUIVI_EXERCICE_DIR) whose env/, bench-cli/,
# apps/ and sites/assets are links to this checkout's, with its own sites/, config/ and ports
# (web 8100, socketio 9100, Redis 13100 and 11100): the Redis, MariaDB and test sites of this
# checkout are never stopped nor served. Needs root (or sudo). Its output is kept in
# docs/production-verification.txt:
#   scripts/exercice_production.sh 2>&1 | tee docs/production-verification.txt
set -Eeuo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="${SUIVI_EXERCICE_DIR:-/tmp/suivi-prod}"
# shellcheck source=bench_jetable.sh
source "$SOURCE/scripts/bench_jetable.sh"
SITE=ccas.exemple.fr
NOM="$(basename "$D")"
GARDER=0
[ "${1:-}" = --garder ] && GARDER=1

etape() { printf '\n### %s\n' "$*"; }
ok() { printf '  OK  %s\n' "$*"; }
echec() {
	printf '  ÉCHEC  %s\n' "$*"
	exit 1
}
trap 'echec "ligne $LINENO : $BASH_COMMAND"' ERR

etape "Bench d'exercice $D (liens vers $SOURCE)"
mkdir -p "$D/certs"
lier_un_bench_jetable "$D" "$SOURCE" 13100 11100
if [ ! -f "$D/sites/common_site_config.json" ]; then
	cat >"$D/sites/common_site_config.json" <<-EOF
		{
		 "background_workers": 1,
		 "default_site": "$SITE",
		 "frappe_user": "$(id -un)",
		 "gunicorn_workers": 2,
		 "redis_cache": "redis://127.0.0.1:13100",
		 "redis_queue": "redis://127.0.0.1:11100",
		 "redis_socketio": "redis://127.0.0.1:11100",
		 "socketio_port": 9100,
		 "webserver_port": 8100
		}
	EOF
fi
ok "bench prêt"

etape "Site du CCAS ($SITE) et certificat auto-signé"
# ./suivi's own Redis check looks at the main ports: start this bench's Redis for the site creation
# (./suivi production hands them over to supervisor).
for nom in cache queue; do
	port="$(awk '$1 == "port" {print $2}' "$D/config/redis_$nom.conf")"
	redis-cli -p "$port" ping >/dev/null 2>&1 ||
		(cd "$D" && redis-server "config/redis_$nom.conf" --daemonize yes --pidfile "$D/config/pids/redis_$nom.pid" >/dev/null)
done
sleep 0.5
"$D/suivi" new-ccas "$SITE" --structure "CCAS d'Exemple" --responsable marie.durand@exemple.fr | tail -n 3 |
	sed 's/key=[0-9a-f]*/key=…/'
if [ ! -f "$D/certs/$SITE.pem" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$SITE" -addext "subjectAltName=DNS:$SITE" \
		-keyout "$D/certs/$SITE.key" -out "$D/certs/$SITE.pem" 2>/dev/null
	chmod 600 "$D/certs/$SITE.key"
fi
ok "certificat $D/certs/$SITE.pem"

BUFFER_POOL_AVANT="$(mariadb -N -e 'select @@innodb_buffer_pool_size')"
PAGE_NGINX_AVANT=0
[ ! -e /etc/nginx/sites-enabled/default ] || PAGE_NGINX_AVANT=1
FICHIERS=(
	"$D/sites/common_site_config.json" "$D/sites/$SITE/site_config.json" "$D/config/nginx.conf"
	"$D/config/supervisor.conf" "$D/config/logrotate.conf" "$D/config/mariadb.cnf"
	"/etc/nginx/conf.d/$NOM.conf" "/etc/supervisor/conf.d/$NOM.conf" "/etc/logrotate.d/suivi-social-$NOM"
	"/etc/mysql/mariadb.conf.d/98-suivi-social-production.cnf"
)
empreintes() { for f in "${FICHIERS[@]}"; do printf '%s  %s\n' "$(sha256sum <"$f" | cut -c1-16)" "$f"; done; }

etape "./suivi production, premier passage"
"$D/suivi" production --domaine "$SITE" --certificat "$D/certs/$SITE.pem" --cle "$D/certs/$SITE.key" 2>&1 |
	sed 's/\x1b\[[0-9;]*m//g'
empreintes >"$D/empreintes-1"

etape "./suivi production, second passage : rien ne doit changer"
"$D/suivi" production --domaine "$SITE" --certificat "$D/certs/$SITE.pem" --cle "$D/certs/$SITE.key" 2>&1 |
	sed 's/\x1b\[[0-9;]*m//g'
empreintes >"$D/empreintes-2"
cat "$D/empreintes-2"
diff "$D/empreintes-1" "$D/empreintes-2" >/dev/null || echec "le second passage a changé des fichiers"
ok "second passage : mêmes empreintes pour les ${#FICHIERS[@]} fichiers"

etape "HTTPS, en-têtes, redirection, débogueur"
R=(--resolve "$SITE:443:127.0.0.1" --resolve "$SITE:80:127.0.0.1")
ENTETES="$(curl -sk "${R[@]}" -D - -o "$D/login.html" "https://$SITE/login")"
printf '%s\n' "$ENTETES" | grep -iE '^(HTTP|strict-transport|x-frame|x-content-type|referrer-policy|content-security|permissions-policy|server)' | sed 's/^/  /'
printf '%s' "$ENTETES" | head -1 | grep -q ' 200' || echec "https://$SITE/login ne répond pas 200"
grep -q 'Connexion' "$D/login.html" || echec "la page de connexion n'est pas celle attendue"
for entete in strict-transport-security x-frame-options x-content-type-options referrer-policy; do
	[ "$(printf '%s' "$ENTETES" | grep -ci "^$entete:")" = 1 ] || echec "en-tête $entete absent ou en double"
done
printf '%s' "$ENTETES" | grep -qi '^strict-transport-security: max-age=31536000\s*$' ||
	echec "HSTS n'a pas la valeur de l'application (durcissement.py : un an, sans les sous-domaines)"
ok "https://$SITE/login : 200, page « Connexion », HSTS, X-Frame-Options, X-Content-Type-Options, Referrer-Policy (une fois chacun)"
REDIRECTION="$(curl -s "${R[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://$SITE/login")"
[ "$REDIRECTION" = "301 https://$SITE/login" ] || echec "http:// → $REDIRECTION"
ok "http://$SITE/login → $REDIRECTION"
curl -sk "${R[@]}" "https://$SITE/?__debugger__=yes&cmd=resource&f=style.css" | grep -q 'Werkzeug' &&
	echec "le débogueur de Werkzeug répond"
ok "pas de débogueur Werkzeug"
grep -q '"developer_mode": 0' "$D/sites/common_site_config.json" || echec "developer_mode n'est pas à 0"
ok "developer_mode 0 ($D/sites/common_site_config.json)"

etape "Adresses d'écoute (seul nginx écoute au-delà de 127.0.0.1)"
ss -ltnpH | awk '{print $4, $6}' | grep -E ':(80|443|8100|9100|13100|11100) ' | sed 's/^/  /'
for port in 8100 9100 13100 11100; do
	ss -ltnH "sport = :$port" | awk '{print $4}' | grep -vq '^127\.0\.0\.1:' && echec "le port $port écoute au-delà de 127.0.0.1"
	ss -ltnH "sport = :$port" | grep -q . || echec "rien n'écoute sur le port $port"
done
ok "gunicorn 8100, socketio 9100, Redis 13100/11100 sur 127.0.0.1 seulement"

etape "supervisor relance ce qui s'arrête"
supervisorctl status | sed 's/^/  /'
WEB="$NOM-web:$NOM-frappe-web"
AVANT="$(supervisorctl pid "$WEB")"
kill -9 "$AVANT"
for _ in $(seq 1 60); do
	APRES="$(supervisorctl pid "$WEB" 2>/dev/null || true)"
	# The old master's workers notice it died and leave; the new master forks its own after --preload.
	[ -n "$APRES" ] && [ "$APRES" != 0 ] && [ "$APRES" != "$AVANT" ] && pgrep -P "$APRES" >/dev/null &&
		[ "$(curl -sk "${R[@]}" -o /dev/null -w '%{http_code}' "https://$SITE/login")" = 200 ] && break
	sleep 1
done
[ "$APRES" != "$AVANT" ] || echec "le web n'est pas relancé"
ok "maître gunicorn $AVANT tué (kill -9) : relancé par supervisor (pid $APRES), la page répond 200"
OUVRIER="$(pgrep -P "$APRES" | sed -n 1p)"
kill -9 "$OUVRIER"
sleep 3
[ "$(pgrep -P "$APRES" | wc -l)" -ge 2 ] || echec "gunicorn n'a pas remplacé son ouvrier"
[ "$(curl -sk "${R[@]}" -o /dev/null -w '%{http_code}' "https://$SITE/login")" = 200 ] || echec "plus de réponse"
ok "ouvrier gunicorn $OUVRIER tué : remplacé ($(pgrep -P "$APRES" | wc -l) ouvriers), la page répond 200"
SOCKETIO="$(supervisorctl pid "$NOM-web:$NOM-node-socketio")"
kill -9 "$SOCKETIO"
sleep 3
[ "$(supervisorctl pid "$NOM-web:$NOM-node-socketio")" != "$SOCKETIO" ] || echec "socketio n'est pas relancé"
ok "socketio tué : relancé"

etape "Rotation des journaux (logrotate -d)"
logrotate -d "/etc/logrotate.d/suivi-social-$NOM" 2>&1 | grep -E 'rotating pattern|error' | sed 's/^/  /'
logrotate -d "/etc/logrotate.d/suivi-social-$NOM" 2>&1 | grep -qi '^error' && echec "logrotate refuse le fichier"
ok "logrotate accepte /etc/logrotate.d/suivi-social-$NOM"

if [ "$GARDER" = 1 ]; then
	etape "Services laissés en marche (--garder)"
	exit 0
fi
etape "Nettoyage : arrêt de supervisord et nginx, retrait des fichiers installés, suppression du site"
supervisorctl stop all >/dev/null
supervisorctl shutdown >/dev/null
nginx -s stop
rm -f "/etc/nginx/conf.d/$NOM.conf" "/etc/supervisor/conf.d/$NOM.conf" "/etc/logrotate.d/suivi-social-$NOM" \
	/etc/mysql/mariadb.conf.d/98-suivi-social-production.cnf
[ "$PAGE_NGINX_AVANT" = 0 ] || ln -sfn /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default
# MariaDB may put off a shrink while pages are in use ("change aborted"): try again a few times.
for _ in 1 2 3 4 5; do
	mariadb -e "SET GLOBAL innodb_buffer_pool_size = $BUFFER_POOL_AVANT" 2>/dev/null || true
	sleep 2
	[ "$(mariadb -N -e 'select @@innodb_buffer_pool_size')" = "$BUFFER_POOL_AVANT" ] && break
done
# shellcheck disable=SC1091
. "$D/config/db_admin.env"
(cd "$D" && bench-cli/bin/bench drop-site "$SITE" --db-root-username "$DB_ROOT_USER" \
	--db-root-password "$DB_ROOT_PASSWORD" --no-backup --force --archived-sites-path "$(mktemp -d)" >/dev/null)
rm -rf "$D"
ok "machine rendue dans son état d'avant l'exercice (cache InnoDB : $((BUFFER_POOL_AVANT / 1048576)) Mio)"
