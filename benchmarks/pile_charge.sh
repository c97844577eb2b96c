#!/usr/bin/env bash
# The production stack for the load test (benchmarks/charge.py, README of benchmarks/ § 6), built the
# way scripts/exercice_production.sh builds its drill: a bench of its own (default /tmp/suivi-charge,
# SUIVI_CHARGE_DIR) whose env/, bench-cli/, apps/ and sites/assets are links to this checkout's, with
# its own sites/, config/ and ports (web 8200, socketio 9200, Redis 13200 and 11200), then
# `./suivi production` run in it: gunicorn behind nginx, supervisor, workers and scheduler, MariaDB's
# cache sized for the machine. The ports differ from the drill's (8100…) so that both can be there.
#
# Its only site is bench.localhost, the benchmark site of this checkout: the same database (a copy of
# its site_config.json), served by this bench; ./suivi production refuses a bench holding the demo
# or test sites, which stay in the checkout's own sites/.
#
#   benchmarks/pile_charge.sh demarrer           build the bench if needed, ./suivi production (HTTP)
#   benchmarks/pile_charge.sh sites N            N more small CCAS sites on this bench (N ≥ 1; the
#                                                first by ./suivi new-ccas, the others from its dump)
#   benchmarks/pile_charge.sh retirer-sites      drop the extra CCAS sites
#   benchmarks/pile_charge.sh arreter            stop its services and remove what production
#                                                installed in /etc; MariaDB's cache size restored
#
# Needs root (nginx on port 80, supervisor, /etc), like the drill.
set -Eeuo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="${SUIVI_CHARGE_DIR:-/tmp/suivi-charge}"
# shellcheck source=../scripts/bench_jetable.sh
source "$SOURCE/scripts/bench_jetable.sh"
NOM="$(basename "$D")"
SITE=bench.localhost
PREFIXE_SITES=ccas-charge

say() { printf '==> %s\n' "$*"; }
die() {
	printf '[erreur] %s\n' "$*" >&2
	exit 1
}

preparer_bench() {
	mkdir -p "$D/sites/$SITE/private/files" "$D/sites/$SITE/public/files" "$D/sites/$SITE/logs"
	lier_un_bench_jetable "$D" "$SOURCE" 13200 11200
	[ -f "$SOURCE/sites/$SITE/site_config.json" ] ||
		die "$SITE n'existe pas dans $SOURCE/sites : lancez d'abord env/bin/python benchmarks/generer.py"
	grep -q '"suivi_benchmark": 1' "$SOURCE/sites/$SITE/site_config.json" || die "$SITE n'est pas le site des bancs d'essai"
	# The same database; production.py turns developer_mode off in this copy only.
	[ -f "$D/sites/$SITE/site_config.json" ] || cp "$SOURCE/sites/$SITE/site_config.json" "$D/sites/$SITE/"
	if [ ! -f "$D/sites/common_site_config.json" ]; then
		cat >"$D/sites/common_site_config.json" <<-EOF
			{
			 "background_workers": 1,
			 "frappe_user": "$(id -un)",
			 "redis_cache": "redis://127.0.0.1:13200",
			 "redis_queue": "redis://127.0.0.1:11200",
			 "redis_socketio": "redis://127.0.0.1:11200",
			 "socketio_port": 9200,
			 "webserver_port": 8200
			}
		EOF
	fi
	[ -f "$D/config/db_admin.env" ] || cp "$SOURCE/config/db_admin.env" "$D/config/db_admin.env"
	# MariaDB's cache size before ./suivi production changes it, restored by « arreter ».
	[ -f "$D/buffer_pool_avant" ] || mariadb -N -e 'select @@innodb_buffer_pool_size' >"$D/buffer_pool_avant"
	# ./suivi production removes nginx's welcome page: put back by « arreter » if it was there.
	[ -f "$D/page_nginx_avant" ] || { [ -e /etc/nginx/sites-enabled/default ] && echo 1 || echo 0; } >"$D/page_nginx_avant"
}

redis_du_bench() {
	local nom port
	for nom in cache queue; do
		port="$(awk '$1 == "port" {print $2}' "$D/config/redis_$nom.conf")"
		redis-cli -p "$port" ping >/dev/null 2>&1 ||
			(cd "$D" && redis-server "config/redis_$nom.conf" --daemonize yes --pidfile "$D/config/pids/redis_$nom.pid" >/dev/null)
	done
	sleep 0.5
}

demarrer() {
	[ ! -e /tmp/suivi-prod ] ||
		printf '[attention] /tmp/suivi-prod existe : l exercice de production tourne peut-être en même temps (même supervisord, même nginx).\n' >&2
	preparer_bench
	redis_du_bench
	(cd "$D" && ./suivi production 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
}

sites_en_plus() {
	local n="$1" modele="$PREFIXE_SITES-01.localhost" i site dump
	[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || die "sites N : N est un nombre ≥ 1"
	# shellcheck disable=SC1091
	. "$D/config/db_admin.env"
	export PATH="$D/bench-cli/bin:$D/env/bin:$PATH"
	redis_du_bench
	# The first one exactly as a CCAS gets it.
	if [ ! -f "$D/sites/$modele/site_config.json" ]; then
		say "$modele : ./suivi new-ccas"
		(cd "$D" && SUIVI_ADMIN_PASSWORD=Banc-d-essai-2025 ./suivi new-ccas "$modele" --structure "CCAS Charge 01" \
			--responsable camille.martin@ccas-charge-01.test --prefixe CH01 2>&1 | tail -n 2 | sed 's/key=[0-9a-f]*/key=…/')
	fi
	# The others from its database (bench new-site --source-sql): the same tables and settings in a few
	# seconds instead of one or two minutes each; each then gets its own structure and Responsable
	# through the same command as new-ccas (bench nouvelle-structure-ccas).
	dump="$D/modele.sql"
	[ -f "$dump" ] || mariadb-dump --single-transaction "$(jq -r .db_name "$D/sites/$modele/site_config.json")" >"$dump"
	for i in $(seq 2 "$n"); do
		printf -v site '%s-%02d.localhost' "$PREFIXE_SITES" "$i"
		[ ! -f "$D/sites/$site/site_config.json" ] || continue
		(cd "$D" && bench new-site "$site" --db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" \
			--admin-password Banc-d-essai-2025 --source-sql "$dump" >/dev/null 2>&1) || die "création de $site refusée"
		(cd "$D" && bench --site "$site" set-config developer_mode 0 >/dev/null)
		(cd "$D" && bench --site "$site" nouvelle-structure-ccas --structure "CCAS Charge $(printf %02d "$i")" \
			--responsable "camille.martin@ccas-charge-$(printf %02d "$i").test" --prefixe "CH$(printf %02d "$i")" >/dev/null 2>&1) ||
			die "structure de $site refusée"
		say "$site : créé"
	done
	# nginx serves each new site by its name, supervisor's workers and scheduler see them.
	(cd "$D" && ./suivi production 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -E 'nginx.conf|erreur|ÉCHEC|répond' || true)
	supervisorctl restart "$NOM-web:" "$NOM-workers:" >/dev/null
}

retirer_sites() {
	# shellcheck disable=SC1091
	. "$D/config/db_admin.env"
	export PATH="$D/bench-cli/bin:$D/env/bin:$PATH"
	local s
	for s in "$D"/sites/"$PREFIXE_SITES"-*.localhost; do
		[ -d "$s" ] || continue
		(cd "$D" && bench drop-site "$(basename "$s")" --db-root-username "$DB_ROOT_USER" \
			--db-root-password "$DB_ROOT_PASSWORD" --no-backup --force --archived-sites-path "$D/archives" >/dev/null 2>&1) ||
			rm -rf "$s"
		say "$(basename "$s") : supprimé"
	done
	rm -rf "$D/modele.sql" "$D/archives"
}

arreter() {
	if [ -e "/etc/supervisor/conf.d/$NOM.conf" ]; then
		supervisorctl stop "$NOM-web:" "$NOM-workers:" "$NOM-redis:" >/dev/null 2>&1 || true
		rm -f "/etc/supervisor/conf.d/$NOM.conf"
		supervisorctl reread >/dev/null 2>&1 || true
		supervisorctl update >/dev/null 2>&1 || true
	fi
	# supervisord and nginx are the machine's: stopped only when no other bench uses them.
	if [ -z "$(ls -A /etc/supervisor/conf.d 2>/dev/null)" ]; then supervisorctl shutdown >/dev/null 2>&1 || true; fi
	rm -f "/etc/nginx/conf.d/$NOM.conf" "/etc/logrotate.d/suivi-social-$NOM"
	if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
		if [ -z "$(ls -A /etc/nginx/conf.d 2>/dev/null)" ]; then nginx -s stop; else nginx -s reload; fi
	fi
	[ -e /tmp/suivi-prod ] || rm -f /etc/mysql/mariadb.conf.d/98-suivi-social-production.cnf
	if [ "$(cat "$D/page_nginx_avant" 2>/dev/null)" = 1 ]; then
		ln -sfn /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default
	fi
	rm -f "$D/page_nginx_avant"
	# ./suivi production schedules this bench's daily backup (./suivi sauvegardes): not for a test bench.
	if crontab -l 2>/dev/null | grep -qF "cd $D &&"; then
		crontab -l | grep -vF "cd $D &&" | crontab -
	fi
	if [ -f "$D/buffer_pool_avant" ]; then
		local avant
		avant="$(cat "$D/buffer_pool_avant")"
		# MariaDB may put off a shrink while pages are in use: try again a few times.
		for _ in 1 2 3 4 5; do
			mariadb -e "SET GLOBAL innodb_buffer_pool_size = $avant" 2>/dev/null || true
			sleep 2
			[ "$(mariadb -N -e 'select @@innodb_buffer_pool_size')" = "$avant" ] && break
		done
		rm -f "$D/buffer_pool_avant"
		say "cache InnoDB remis à $((avant / 1048576)) Mio"
	fi
	local nom pid
	for nom in cache queue; do
		pid="$D/config/pids/redis_$nom.pid"
		[ ! -s "$pid" ] || kill "$(cat "$pid")" 2>/dev/null || true
	done
	say "pile arrêtée ($D gardé)"
}

case "${1:-}" in
demarrer) demarrer ;;
sites) sites_en_plus "${2:-19}" ;;
retirer-sites) retirer_sites ;;
arreter) arreter ;;
*)
	sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
