# Sourced by scripts/exercice_production.sh and benchmarks/pile_charge.sh: a throw-away bench in
# $1 whose code (env, bench-cli, apps, ./suivi, scripts, assets) is linked to the bench $2, with its
# own Redis ports ($3 cache, $4 queue) so that the source bench's Redis is never touched.
lier_un_bench_jetable() {
	local dossier="$1" source="$2" port_cache="$3" port_file="$4" lien
	mkdir -p "$dossier/sites" "$dossier/config/pids" "$dossier/logs"
	for lien in env bench-cli apps suivi scripts Procfile; do
		[ -e "$dossier/$lien" ] || ln -s "$source/$lien" "$dossier/$lien"
	done
	[ -e "$dossier/sites/assets" ] || ln -s "$source/sites/assets" "$dossier/sites/assets"
	cp "$source/sites/apps.txt" "$dossier/sites/apps.txt"
	cp "$source/config/ecoute_locale.js" "$dossier/config/"
	sed "s/^port 13000\$/port $port_cache/" "$source/config/redis_cache.conf" >"$dossier/config/redis_cache.conf"
	sed "s/^port 11000\$/port $port_file/" "$source/config/redis_queue.conf" >"$dossier/config/redis_queue.conf"
}
