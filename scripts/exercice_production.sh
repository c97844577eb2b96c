#!/usr/bin/env bash
# Production drill (README, « Mise en production »): runs ./suivi production for real on this machine,
# twice, under a dedicated account (default) or as root (--root), and checks what the CI cannot
# (root, nginx on ports 80/443, supervisor):
#   - the second run changes no file (checksums of every file it writes, in the bench and in /etc);
#   - https://ccas.exemple.fr (self-signed certificate made here, curl --resolve) answers the login
#     page with the security headers; http:// redirects to https://; no Werkzeug debugger;
#   - only nginx listens beyond 127.0.0.1;
#   - dedicated account « frappe » (created here, passwordless sudo for the drill only): every
#     process of the bench runs as frappe, every file of the bench is frappe's, site_config.json is
#     600, the backup crontab is frappe's, nginx (www-data) serves /assets/ and the login page;
#   - supervisor brings the web back after its master is killed, and gunicorn a killed worker;
#   - logrotate rotates the bench's logs for real (as the bench's owner);
#   - the boot: mariadb, nginx and supervisor enabled the Debian way, then a simulated reboot
#     (everything of the bench stopped, only the units' ExecStart commands run): all back, login works;
#   - ./suivi upgrade's git pull: refused with local changes (nothing migrated), then HEAD moves to
#     origin's commit, the site is migrated, the processes restarted; a second run finds nothing new.
# Then it stops what it started and removes what it installed (the account, its sudoers file, sudo
# if it installed it), unless --garder; on a failure too.
#
# It runs in a bench of its own (default /tmp/suivi-prod, SUIVI_EXERCICE_DIR) whose env/, bench-cli/,
# apps/ and sites/assets are links to this checkout's, with its own sites/, config/ and ports
# (web 8100, socketio 9100, Redis 13100 and 11100): the Redis, MariaDB and test sites of this
# checkout are never stopped nor served. The bench is a git clone of this checkout, one commit
# behind its origin (a bare copy of this repository with two more commits, which change
# VERSION-EXERCICE only); every other tracked path is skip-worktree: the code stays this checkout's,
# through the links.
# This checkout belongs to root and was built under umask 077 (env/, bench-cli/, apps/frappe and the
# pyenv Python under /root are closed to other accounts): with the dedicated account, the drill runs
# in a mount namespace of its own where these paths are overlays opened for reading (chmod o+rX in
# the overlay only), so the account reads them and cannot write them, and nothing changes for the
# rest of the machine. Needs root. Its output is kept in docs/production-verification.txt:
#   scripts/exercice_production.sh 2>&1 | tee docs/production-verification.txt
set -Eeuo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="${SUIVI_EXERCICE_DIR:-/tmp/suivi-prod}"
# shellcheck source=bench_jetable.sh
source "$SOURCE/scripts/bench_jetable.sh"
SITE=ccas.exemple.fr
NOM="$(basename "$D")"
GARDER=0
UTILISATEUR=frappe
MARQUE_COMPTE="Exercice de production suivi-social"
SUDOERS="/etc/sudoers.d/suivi-exercice-$UTILISATEUR"
COUCHES="$D-exercice"
for option in "$@"; do
	case "$option" in
	--garder) GARDER=1 ;;
	--root) UTILISATEUR=root ;;
	*)
		echo "Usage : $0 [--root] [--garder]" >&2
		exit 2
		;;
	esac
done
[ "$(id -u)" = 0 ] || {
	echo "L'exercice se lance en root : il crée un compte, installe des fichiers dans /etc, lance nginx." >&2
	exit 2
}
# The drill runs in its own mount namespace (see the header), left with it. A witness process stays
# in the machine's namespace, to look at the checkout from outside.
if [ -z "${SUIVI_EXERCICE_TEMOIN:-}" ]; then
	sleep 3600 &
	SUIVI_EXERCICE_TEMOIN=$! exec unshare --mount --propagation private "$0" "$@"
fi

etape() { printf '\n### %s\n' "$*"; }
ok() { printf '  OK  %s\n' "$*"; }
NETTOYER=0
echec() {
	# In a subshell (comme, a pipeline), the main shell sees the failure and says where.
	[ "$BASHPID" = "$$" ] || exit 1
	printf '  ÉCHEC  %s\n' "$*"
	trap - ERR
	[ "$NETTOYER" = 0 ] || [ "$GARDER" = 1 ] || nettoyer
	exit 1
}
trap 'echec "ligne $LINENO : $BASH_COMMAND"' ERR
# comme CMD…: CMD in the bench, as its owner.
comme() {
	if [ "$UTILISATEUR" = root ]; then
		(cd "$D" && "$@")
	else
		(cd "$D" && sudo -u "$UTILISATEUR" -H "$@")
	fi
}
sans_couleurs() { sed 's/\x1b\[[0-9;]*m//g'; }
R=(--resolve "$SITE:443:127.0.0.1" --resolve "$SITE:80:127.0.0.1")
code_https() { curl -sk "${R[@]}" -o /dev/null -w '%{http_code}' "https://$SITE${1:-/login}" || true; }
# The pid of each supervisor program of the bench, « name pid » per line.
pids_du_bench() { supervisorctl status | awk -v n="$NOM-" 'index($1, n) == 1 && $2 == "RUNNING" {sub(",", "", $4); print $1, $4}'; }

# Everything this drill installs on the machine, removed in the reverse order. Each step may find
# nothing to do (a failure halfway).
nettoyer() {
	local reste=""
	etape "Nettoyage : arrêt de supervisord et nginx, retrait des fichiers installés, du site et du compte"
	if [ -S /var/run/supervisor.sock ]; then
		supervisorctl stop all >/dev/null 2>&1 || true
		supervisorctl shutdown >/dev/null 2>&1 || true
		for _ in $(seq 1 30); do
			[ -e /var/run/supervisord.pid ] || break
			sleep 0.5
		done
	fi
	[ ! -s /run/nginx.pid ] || nginx -s stop 2>/dev/null || true
	# The Redis started for the site creation, if ./suivi production did not take them over.
	local pid
	for pid in $(cat "$D"/config/pids/redis_*.pid 2>/dev/null); do
		kill "$pid" 2>/dev/null || true
	done
	rm -f "/etc/nginx/conf.d/$NOM.conf" "/etc/supervisor/conf.d/$NOM.conf" "/etc/logrotate.d/suivi-social-$NOM" \
		/etc/mysql/mariadb.conf.d/98-suivi-social-production.cnf
	[ "${PAGE_NGINX_AVANT:-0}" = 0 ] || ln -sfn /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default
	if [ -n "${BUFFER_POOL_AVANT:-}" ]; then
		# MariaDB may put off a shrink while pages are in use ("change aborted"): try again a few times.
		for _ in 1 2 3 4 5; do
			mariadb -e "SET GLOBAL innodb_buffer_pool_size = $BUFFER_POOL_AVANT" 2>/dev/null || true
			sleep 2
			[ "$(mariadb -N -e 'select @@innodb_buffer_pool_size')" = "$BUFFER_POOL_AVANT" ] && break
		done
	fi
	if [ -f "$D/sites/$SITE/site_config.json" ] && [ -f "$D/config/db_admin.env" ]; then
		# shellcheck disable=SC1091
		. "$D/config/db_admin.env"
		mkdir -p "$D/archives" && chown "$UTILISATEUR": "$D/archives"
		local base
		base="$(sed -n 's/^ *"db_name": *"\([^"]*\)".*/\1/p' "$D/sites/$SITE/site_config.json")"
		comme bench-cli/bin/bench drop-site "$SITE" --db-root-username "$DB_ROOT_USER" \
			--db-root-password "$DB_ROOT_PASSWORD" --no-backup --force --archived-sites-path "$D/archives" >/dev/null 2>&1 ||
			printf '  (bench drop-site a échoué : la base %s est supprimée directement)\n' "$base"
		if [ -n "$base" ] && mariadb -N -e 'show databases' | grep -qxF "$base"; then
			mariadb -e "DROP DATABASE \`$base\`; DROP USER IF EXISTS '$base'@'localhost', '$base'@'%'" || true
		fi
		[ -z "$base" ] || ! mariadb -N -e 'show databases' | grep -qxF "$base" || reste+=" base $base;"
	fi
	if [ "$UTILISATEUR" = root ]; then
		# The backup line of ./suivi production (cmd_sauvegardes) for this bench, in root's crontab.
		if crontab -l 2>/dev/null | grep -qF "cd $D &&"; then
			crontab -l | grep -vF "cd $D &&" | crontab -
		fi
	elif getent passwd "$UTILISATEUR" | grep -qF "$MARQUE_COMPTE"; then
		crontab -u "$UTILISATEUR" -r 2>/dev/null || true
		# What is left of the account's processes (gpg-agent of the backups, a Redis of a failed run).
		local restants
		restants="$(pgrep -u "$UTILISATEUR" || true)"
		[ -z "$restants" ] || kill $restants 2>/dev/null || true
		sleep 1
		userdel -r "$UTILISATEUR" 2>/dev/null || true
	fi
	rm -f "$SUDOERS"
	if [ -e "$COUCHES/sudo-installe" ]; then
		# Debian's sudo refuses to leave a root without password unless told.
		SUDO_FORCE_REMOVE=yes apt-get purge -y -qq sudo >/dev/null 2>&1 || true
		! dpkg -s sudo >/dev/null 2>&1 || reste+=" paquet sudo;"
	fi
	# Bind mounts and overlays of this namespace (the checkout itself was never changed), then the copies.
	local point
	for point in "$SOURCE/env/.suivi-stamps" "$SOURCE/scripts" "$SOURCE/suivi" "$SOURCE/apps/suivi_social" \
		"$SOURCE/apps/frappe" "$SOURCE/bench-cli" "$SOURCE/env" /root; do
		! mountpoint -q "$point" || umount "$point" || umount -l "$point"
	done
	rm -rf "$COUCHES"
	rm -rf "$D"
	[ -z "${SUIVI_EXERCICE_TEMOIN:-}" ] || kill "$SUIVI_EXERCICE_TEMOIN" 2>/dev/null || true
	getent passwd "$UTILISATEUR" >/dev/null && [ "$UTILISATEUR" != root ] && reste+=" compte $UTILISATEUR;"
	[ ! -e "$SUDOERS" ] || reste+=" $SUDOERS;"
	[ ! -e "/etc/nginx/conf.d/$NOM.conf" ] || reste+=" /etc/nginx/conf.d/$NOM.conf;"
	[ -z "$reste" ] || {
		printf '  ÉCHEC  reste après le nettoyage :%s\n' "$reste"
		exit 1
	}
	ok "machine rendue dans son état d'avant l'exercice (cache InnoDB : $((${BUFFER_POOL_AVANT:-0} / 1048576)) Mio$([ "$UTILISATEUR" = root ] || echo ", compte $UTILISATEUR et $SUDOERS retirés"))"
}

[ ! -e "$D" ] || {
	echo "$D existe (exercice gardé par --garder, ou interrompu) : arrêtez ce qu'il a lancé et supprimez-le d'abord." >&2
	exit 2
}
BUFFER_POOL_AVANT="$(mariadb -N -e 'select @@innodb_buffer_pool_size')"
PAGE_NGINX_AVANT=0
[ ! -e /etc/nginx/sites-enabled/default ] || PAGE_NGINX_AVANT=1

# The drill's own files (and the overlays' layers), root's, outside the bench. A leftover of an
# interrupted run is not mounted any more (its namespace is gone).
rm -rf "$COUCHES"
mkdir -m 700 "$COUCHES"
etape "Construction du code de $SOURCE par son propriétaire (root), puis gel pour l'exercice"
# The bench's owner only reads the linked code: its build (translations, JS/CSS, packages) must
# be current, or ./suivi production would rebuild it into this checkout, which it cannot write.
"$SOURCE/suivi" construire 2>&1 | sans_couleurs | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || echec "./suivi construire a échoué dans $SOURCE"
# The code the drill verifies, frozen with the stamps of its build: other sessions editing this
# checkout meanwhile (fr.po, ./suivi) change nothing for it. Copies bind-mounted in this namespace only.
GELES=(apps/suivi_social suivi scripts env/.suivi-stamps)
mkdir "$COUCHES/gel"
for chemin in "${GELES[@]}"; do
	cp -a "$SOURCE/$chemin" "$COUCHES/gel/${chemin//\//_}"
done
[ "$UTILISATEUR" = root ] || chmod -R o+rX "$COUCHES/gel/env_.suivi-stamps"
if [ "$UTILISATEUR" != root ]; then
	etape "Compte dédié « $UTILISATEUR » (sudo sans mot de passe, pour l'exercice seulement)"
	if getent passwd "$UTILISATEUR" >/dev/null; then
		getent passwd "$UTILISATEUR" | grep -qF "$MARQUE_COMPTE" ||
			{ echo "Un compte $UTILISATEUR existe déjà sur cette machine : l'exercice ne le touche pas (--root, ou supprimez-le)." >&2 && exit 2; }
	fi
	NETTOYER=1
	if ! dpkg -s sudo >/dev/null 2>&1; then
		# The README's dedicated account works through sudo (./suivi's as_root): removed at the end.
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo 2>&1 >/dev/null | grep -v '^debconf:' || true
		dpkg -s sudo >/dev/null 2>&1 || echec "le paquet sudo ne s'installe pas"
		touch "$COUCHES/sudo-installe"
		ok "paquet sudo installé (retiré au nettoyage)"
	fi
	getent passwd "$UTILISATEUR" >/dev/null ||
		useradd --system --user-group --create-home --home-dir "/home/$UTILISATEUR" --shell /bin/bash \
			--comment "$MARQUE_COMPTE" "$UTILISATEUR"
	printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$UTILISATEUR" >"$SUDOERS.tmp"
	chmod 440 "$SUDOERS.tmp"
	visudo -cqf "$SUDOERS.tmp"
	mv "$SUDOERS.tmp" "$SUDOERS"
	ok "compte système $(id "$UTILISATEUR") ; $SUDOERS : sudo sans mot de passe"
	# This checkout (root's, umask 077) opened for reading in this mount namespace only: overlays
	# whose upper layer, in $COUCHES, holds the modes changed here and anything root writes there.
	MODES_AVANT="$(stat -c %A /root "$SOURCE/env" | tr '\n' ' ')"
	for point in /root "$SOURCE/env" "$SOURCE/bench-cli" "$SOURCE/apps/frappe"; do
		couche="$COUCHES/$(printf '%s' "$point" | tr / _)"
		mkdir -p "$couche/haut" "$couche/travail"
		# The overlay's top folder takes the upper layer's mode and owner: the lower one's.
		chmod --reference="$point" "$couche/haut"
		chown --reference="$point" "$couche/haut"
		mount -t overlay overlay -o "lowerdir=$point,upperdir=$couche/haut,workdir=$couche/travail,metacopy=on,redirect_dir=on" "$point"
	done
	chmod o+x /root
	chmod -R o+rX "$SOURCE/env" "$SOURCE/bench-cli" "$SOURCE/apps/frappe"
	# Git refuses a repository another account owns: the bench's git commands (./suivi reads Frappe's
	# commit) name these two, root's here, the account's own in a real installation.
	sudo -u "$UTILISATEUR" -H git config --global --add safe.directory "$SOURCE/apps/frappe"
	sudo -u "$UTILISATEUR" -H git config --global --add safe.directory "$SOURCE"
	MODES_DEHORS="$(nsenter --target "$SUIVI_EXERCICE_TEMOIN" --mount stat -c %A /root "$SOURCE/env" | tr '\n' ' ')"
	[ "$MODES_DEHORS" = "$MODES_AVANT" ] || echec "les droits ont changé hors de l'espace de l'exercice : $MODES_DEHORS"
	ok "$SOURCE/{env,bench-cli,apps/frappe} et le Python de /root lisibles par $UTILISATEUR dans l'espace de montage de l'exercice seulement (ici : $(stat -c %A /root "$SOURCE/env" | tr '\n' ' '); hors de l'exercice, inchangés : $MODES_DEHORS)"
fi
NETTOYER=1
# Mounted after the overlays (an overlay of env/ would hide a mount below it).
for chemin in "${GELES[@]}"; do
	mount --bind "$COUCHES/gel/${chemin//\//_}" "$SOURCE/$chemin"
done
ok "code gelé pour l'exercice (copies montées dans son espace seulement) : ${GELES[*]} ($(git -C "$SOURCE" rev-parse --short HEAD) et les modifications en cours)"

etape "Bench d'exercice $D : clone git de ce dépôt, code lié à $SOURCE, propriétaire $UTILISATEUR"
mkdir -p "$D"
ORIGINE="$D/.origine.git"
git clone -q --bare --no-hardlinks "$SOURCE" "$ORIGINE"
# Two commits on top of this checkout's HEAD, changing VERSION-EXERCICE only: the bench starts at
# the first, its origin is at the second.
nouvelle_version() {
	local index="$ORIGINE/index-exercice" blob arbre commit
	blob="$(printf '%s\n' "$1" | git --git-dir="$ORIGINE" hash-object -w --stdin)"
	GIT_INDEX_FILE="$index" git --git-dir="$ORIGINE" read-tree HEAD
	GIT_INDEX_FILE="$index" git --git-dir="$ORIGINE" update-index --add --cacheinfo "100644,$blob,VERSION-EXERCICE"
	arbre="$(GIT_INDEX_FILE="$index" git --git-dir="$ORIGINE" write-tree)"
	commit="$(git --git-dir="$ORIGINE" -c user.name=Exercice -c user.email=exercice@exemple.fr commit-tree "$arbre" -p HEAD -m "$2")"
	git --git-dir="$ORIGINE" update-ref HEAD "$commit"
	rm -f "$index"
}
nouvelle_version "version 1" "Exercice : version installée"
nouvelle_version "version 2" "Exercice : version suivante"
BRANCHE="$(git --git-dir="$ORIGINE" symbolic-ref --short HEAD)"
chown -R "$UTILISATEUR": "$D"
comme git init -q -b "$BRANCHE"
comme git remote add origin "$ORIGINE"
comme git fetch -q origin
# The index at the first commit, the working tree left empty; every path but VERSION-EXERCICE marked
# skip-worktree: git ignores what the bench puts there (links to this checkout, sites/apps.txt) and a
# pull that does not change them leaves them be (a sparse checkout would remove sites/apps.txt).
comme git branch -q --track "$BRANCHE" "origin/$BRANCHE"
comme git symbolic-ref HEAD "refs/heads/$BRANCHE"
comme git reset -q "origin/$BRANCHE~1"
comme sh -c 'git ls-files -z | grep -zv "^VERSION-EXERCICE\$" | xargs -0 git update-index --skip-worktree'
comme git checkout -q -- VERSION-EXERCICE
comme bash -c "source '$SOURCE/scripts/bench_jetable.sh' && lier_un_bench_jetable '$D' '$SOURCE' 13100 11100"
comme mkdir -p certs
comme tee sites/common_site_config.json >/dev/null <<-EOF
	{
	 "background_workers": 1,
	 "default_site": "$SITE",
	 "frappe_user": "$UTILISATEUR",
	 "gunicorn_workers": 2,
	 "redis_cache": "redis://127.0.0.1:13100",
	 "redis_queue": "redis://127.0.0.1:11100",
	 "redis_socketio": "redis://127.0.0.1:11100",
	 "socketio_port": 9100,
	 "webserver_port": 8100
	}
EOF
# The machine's MariaDB admin account and its password (ensure_db_admin would otherwise give it a
# new password, and lock this checkout out).
install -m 600 -o "$UTILISATEUR" -g "$(id -gn "$UTILISATEUR")" "$SOURCE/config/db_admin.env" "$D/config/db_admin.env"
ok "bench prêt : $(comme git log --oneline -1 | cut -c1-60)… (origin : $(comme git rev-parse --short "origin/$BRANCHE")), propriétaire $(stat -c %U "$D")"

etape "Site du CCAS ($SITE) et certificat auto-signé"
# ./suivi's own Redis check looks at the main ports: start this bench's Redis for the site creation
# (./suivi production hands them over to supervisor).
for nom in cache queue; do
	port="$(awk '$1 == "port" {print $2}' "$D/config/redis_$nom.conf")"
	! redis-cli -p "$port" ping >/dev/null 2>&1 || echec "un Redis écoute déjà sur le port $port (reste d'un exercice ?)"
	comme redis-server "config/redis_$nom.conf" --daemonize yes --pidfile "$D/config/pids/redis_$nom.pid" >/dev/null
done
sleep 0.5
MOT_DE_PASSE="$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
comme env SUIVI_ADMIN_PASSWORD="$MOT_DE_PASSE" ./suivi new-ccas "$SITE" --structure "CCAS d'Exemple" \
	--responsable marie.durand@exemple.fr | tail -n 3 | sans_couleurs | sed 's/key=[0-9a-f]*/key=…/'
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$SITE" -addext "subjectAltName=DNS:$SITE" \
	-keyout "$D/certs/$SITE.key" -out "$D/certs/$SITE.pem" 2>/dev/null
chmod 600 "$D/certs/$SITE.key"
chown "$UTILISATEUR": "$D/certs/$SITE.key" "$D/certs/$SITE.pem"
ok "certificat $D/certs/$SITE.pem"

FICHIERS=(
	"$D/sites/common_site_config.json" "$D/sites/$SITE/site_config.json" "$D/config/nginx.conf"
	"$D/config/supervisor.conf" "$D/config/logrotate.conf" "$D/config/mariadb.cnf"
	"/etc/nginx/conf.d/$NOM.conf" "/etc/supervisor/conf.d/$NOM.conf" "/etc/logrotate.d/suivi-social-$NOM"
	"/etc/mysql/mariadb.conf.d/98-suivi-social-production.cnf"
)
empreintes() { for f in "${FICHIERS[@]}"; do printf '%s  %s\n' "$(sha256sum <"$f" | cut -c1-16)" "$f"; done; }
production() {
	comme ./suivi production --domaine "$SITE" --certificat "$D/certs/$SITE.pem" --cle "$D/certs/$SITE.key" 2>&1 |
		sans_couleurs
	[ "${PIPESTATUS[0]}" = 0 ] || echec "./suivi production a échoué"
}

etape "./suivi production, premier passage (en $UTILISATEUR)"
production
empreintes >"$COUCHES/empreintes-1"

etape "./suivi production, second passage : rien ne doit changer"
production
empreintes >"$COUCHES/empreintes-2"
cat "$COUCHES/empreintes-2"
diff "$COUCHES/empreintes-1" "$COUCHES/empreintes-2" >/dev/null || echec "le second passage a changé des fichiers"
ok "second passage : mêmes empreintes pour les ${#FICHIERS[@]} fichiers"

etape "HTTPS, en-têtes, redirection, débogueur"
ENTETES="$(curl -sk "${R[@]}" -D - -o "$COUCHES/login.html" "https://$SITE/login")"
printf '%s\n' "$ENTETES" | grep -iE '^(HTTP|strict-transport|x-frame|x-content-type|referrer-policy|content-security|permissions-policy|server)' | sed 's/^/  /'
printf '%s' "$ENTETES" | head -1 | grep -q ' 200' || echec "https://$SITE/login ne répond pas 200"
grep -q 'Connexion' "$COUCHES/login.html" || echec "la page de connexion n'est pas celle attendue"
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

etape "Compte d'exécution : processus, fichiers du bench, crontab, nginx"
# Every program of the bench and the processes it forked (gunicorn's workers).
UTILISATEURS_VUS=""
while read -r programme pid; do
	vus="$(ps -o user= -p "$pid" --ppid "$pid" | sort -u | tr '\n' ' ')"
	printf '  %-52s pid %-7s %s\n' "$programme" "$pid" "$vus"
	UTILISATEURS_VUS+="$vus"
done < <(pids_du_bench)
[ "$(pids_du_bench | wc -l)" -ge 7 ] || echec "moins de 7 programmes du bench sous supervisor"
[ "$(printf '%s\n' $UTILISATEURS_VUS | sort -u)" = "$UTILISATEUR" ] ||
	echec "des processus du bench tournent sous un autre compte que $UTILISATEUR : $UTILISATEURS_VUS"
ok "web (maître et ouvriers gunicorn), socketio, tâches de fond, planificateur et les deux Redis : compte $UTILISATEUR"
AUTRES="$(find "$D" ! -user "$UTILISATEUR" -printf '%u %p\n')"
[ -z "$AUTRES" ] || {
	printf '%s\n' "$AUTRES" | head -20 | sed 's/^/  /'
	echec "fichiers du bench qui n'appartiennent pas à $UTILISATEUR (ci-dessus)"
}
ok "tous les fichiers de $D appartiennent à $UTILISATEUR (find ! -user : aucun)"
DROITS="$(stat -c '%a %U' "$D/sites/$SITE/site_config.json")"
[ "$DROITS" = "600 $UTILISATEUR" ] || echec "sites/$SITE/site_config.json : $DROITS (attendu : 600 $UTILISATEUR)"
ok "sites/$SITE/site_config.json : $DROITS"
crontab -u "$UTILISATEUR" -l 2>/dev/null | grep -F "cd $D &&" | sed 's/^/  /'
crontab -u "$UTILISATEUR" -l 2>/dev/null | grep -qF "cd $D && " || echec "pas de sauvegarde dans la crontab de $UTILISATEUR"
if [ "$UTILISATEUR" != root ]; then
	! crontab -u root -l 2>/dev/null | grep -qF "$D" || echec "la crontab de root porte une ligne du bench"
fi
ok "sauvegarde quotidienne dans la crontab de $UTILISATEUR$([ "$UTILISATEUR" = root ] || echo ", aucune dans celle de root")"
NGINX_OUVRIERS="$(ps -o user= --ppid "$(cat /run/nginx.pid)" | sort -u | tr '\n' ' ')"
[ "$NGINX_OUVRIERS" = "www-data " ] || echec "ouvriers nginx : $NGINX_OUVRIERS"
CSS="$("$SOURCE/env/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["desk.bundle.css"])' "$D/sites/assets/assets.json")"
REPONSE="$(curl -sk "${R[@]}" -o /dev/null -w '%{http_code} %{content_type} %{size_download}' "https://$SITE$CSS")"
[ "${REPONSE%% *}" = 200 ] || echec "https://$SITE$CSS → $REPONSE"
ok "nginx (ouvriers : $NGINX_OUVRIERS) sert $CSS : $REPONSE octets ; la page de connexion : $(code_https)"

etape "supervisor relance ce qui s'arrête"
supervisorctl status | sed 's/^/  /'
WEB="$NOM-web:$NOM-frappe-web"
AVANT="$(supervisorctl pid "$WEB")"
kill -9 "$AVANT"
for _ in $(seq 1 60); do
	APRES="$(supervisorctl pid "$WEB" 2>/dev/null || true)"
	# The old master's workers notice it died and leave; the new master forks its own after --preload.
	[ -n "$APRES" ] && [ "$APRES" != 0 ] && [ "$APRES" != "$AVANT" ] && pgrep -P "$APRES" >/dev/null &&
		[ "$(code_https)" = 200 ] && break
	sleep 1
done
[ "$APRES" != "$AVANT" ] || echec "le web n'est pas relancé"
ok "maître gunicorn $AVANT tué (kill -9) : relancé par supervisor (pid $APRES), la page répond 200"
OUVRIER="$(pgrep -P "$APRES" | sed -n 1p)"
kill -9 "$OUVRIER"
sleep 3
[ "$(pgrep -P "$APRES" | wc -l)" -ge 2 ] || echec "gunicorn n'a pas remplacé son ouvrier"
[ "$(code_https)" = 200 ] || echec "plus de réponse"
ok "ouvrier gunicorn $OUVRIER tué : remplacé ($(pgrep -P "$APRES" | wc -l) ouvriers), la page répond 200"
SOCKETIO="$(supervisorctl pid "$NOM-web:$NOM-node-socketio")"
kill -9 "$SOCKETIO"
sleep 3
[ "$(supervisorctl pid "$NOM-web:$NOM-node-socketio")" != "$SOCKETIO" ] || echec "socketio n'est pas relancé"
ok "socketio tué : relancé"

etape "Rotation des journaux (logrotate, pour de vrai, avec un état à part)"
logrotate -d "/etc/logrotate.d/suivi-social-$NOM" 2>&1 | grep -E 'rotating pattern|^error' | sed 's/^/  /'
logrotate -d "/etc/logrotate.d/suivi-social-$NOM" 2>&1 | grep -qi '^error' && echec "logrotate refuse le fichier"
# -f: rotate now, with a state file of its own (the machine's /var/lib/logrotate/status is untouched).
# notifempty: the empty logs stay; every other one must turn.
NON_VIDES="$(find "$D/logs" -maxdepth 1 -name '*.log' -size +0 -printf '%f\n' | sort)"
[ -n "$NON_VIDES" ] || echec "aucun journal non vide à faire tourner"
logrotate -f -s "$COUCHES/logrotate.etat" "/etc/logrotate.d/suivi-social-$NOM" 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || echec "logrotate a échoué (ci-dessus)"
for journal in $NON_VIDES; do
	ls "$D/logs/$journal"-* >/dev/null 2>&1 || echec "logs/$journal n'a pas tourné"
done
ok "logrotate -f (directive su $UTILISATEUR) : les $(printf '%s\n' $NON_VIDES | wc -l) journaux non vides ont tourné ($(printf '%s ' $NON_VIDES)→ $(basename "$(ls "$D"/logs/*.log-* | head -1)"), …)"

etape "Démarrage de la machine : services activés à la manière de Debian"
for service in mariadb nginx supervisor; do
	ETAT="$(systemctl is-enabled "$service" 2>&1 || true)"
	LIEN="/etc/systemd/system/multi-user.target.wants/$service.service"
	[ "$ETAT" = enabled ] && [ -L "$LIEN" ] || echec "$service n'est pas activé au démarrage ($ETAT, $LIEN)"
	ok "$service : systemctl is-enabled → $ETAT ($LIEN → $(readlink "$LIEN"))"
done
printf '  (systemd ne tourne pas ici (PID 1 : %s) : ces liens sont ce que systemd lirait au démarrage)\n' "$(cat /proc/1/comm)"

etape "Redémarrage simulé : tout arrêter, puis lancer seulement ce que le démarrage lance"
AVANT_REDEMARRAGE="$(pids_du_bench | wc -l)"
supervisorctl shutdown >/dev/null
nginx -s stop 2>/dev/null
for _ in $(seq 1 30); do
	[ -e /var/run/supervisord.pid ] || [ -s /run/nginx.pid ] || break
	sleep 0.5
done
RESTES="$(pgrep -f "$D/" || true)"
[ -z "$RESTES" ] || echec "processus du bench encore là après l'arrêt : $RESTES"
for port in 8100 9100 13100 11100; do
	! ss -ltnH "sport = :$port" | grep -q . || echec "le port $port écoute encore après l'arrêt"
done
[ "$(code_https)" = 000 ] || echec "https répond encore après l'arrêt"
ok "supervisord et nginx arrêtés : plus aucun processus du bench, https ne répond plus"
# The ExecStart of Debian's units (supervisord in the background: -n would keep it in front).
DEMARRE_SUPERVISOR="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/supervisor.service | sed 's/ -n / /')"
DEMARRE_NGINX="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/nginx.service)"
printf '  %s\n  %s\n' "$DEMARRE_SUPERVISOR" "$DEMARRE_NGINX"
$DEMARRE_SUPERVISOR
/usr/sbin/nginx -g 'daemon on; master_process on;'
[ "$DEMARRE_NGINX" = "/usr/sbin/nginx -g 'daemon on; master_process on;'" ] || echec "ExecStart de nginx inattendu : $DEMARRE_NGINX"
for _ in $(seq 1 90); do
	[ "$(pids_du_bench | wc -l)" = "$AVANT_REDEMARRAGE" ] && [ "$(code_https)" = 200 ] && break
	sleep 1
done
supervisorctl status | sed 's/^/  /'
[ "$(pids_du_bench | wc -l)" = "$AVANT_REDEMARRAGE" ] || echec "tous les programmes du bench ne sont pas revenus (RUNNING)"
[ "$(code_https)" = 200 ] || echec "https://$SITE/login ne répond pas après le redémarrage"
connexion_api() {
	local bocal="$COUCHES/bocal" reponse
	rm -f "$bocal"
	reponse="$(curl -sk "${R[@]}" -c "$bocal" --data-urlencode usr=Administrator --data-urlencode "pwd=$MOT_DE_PASSE" "https://$SITE/api/method/login")"
	printf '%s' "$reponse" | grep -q '"Logged In"' || return 1
	curl -sk "${R[@]}" -b "$bocal" "https://$SITE/api/method/frappe.auth.get_logged_user"
}
UTILISATEUR_API="$(connexion_api)" || echec "la connexion par l'API est refusée"
[ "$UTILISATEUR_API" = '{"message":"Administrator"}' ] || echec "frappe.auth.get_logged_user → $UTILISATEUR_API"
ok "les $AVANT_REDEMARRAGE programmes du bench RUNNING sans ./suivi ; https://$SITE/login 200 ; connexion puis frappe.auth.get_logged_user → $UTILISATEUR_API"

etape "Mise à jour par git pull (./suivi upgrade en $UTILISATEUR)"
TOUCHE="$D/sites/$SITE/touched_tables.json" # rewritten by every bench migrate (frappe/migrate.py)
HEAD_AVANT="$(comme git rev-parse --short HEAD)"
HEAD_ORIGINE="$(comme git rev-parse --short "origin/$BRANCHE")"
ok "bench à $HEAD_AVANT, origin à $HEAD_ORIGINE ($(comme git log -1 --format=%s "origin/$BRANCHE"))"
mise_a_jour() {
	comme ./suivi upgrade 2>&1 | sans_couleurs | tee "$COUCHES/upgrade.log" | sed 's/^/  /'
	return "${PIPESTATUS[0]}"
}
comme sh -c 'echo "modification locale" >>VERSION-EXERCICE'
migre_le() { stat -c %Y "$TOUCHE" 2>/dev/null || echo 0; } # 0: never migrated (new site)
MIGRE_AVANT="$(migre_le)"
STATUT=0
mise_a_jour || STATUT=$?
[ "$STATUT" != 0 ] || echec "./suivi upgrade a réussi malgré une modification locale"
grep -qF "git pull a échoué (modifications locales ?) : rien n'a été migré" "$COUCHES/upgrade.log" || echec "message attendu absent"
[ "$(comme git rev-parse --short HEAD)" = "$HEAD_AVANT" ] || echec "HEAD a bougé"
! grep -q "Migration du site" "$COUCHES/upgrade.log" || echec "un site a été migré"
[ "$(migre_le)" = "$MIGRE_AVANT" ] || echec "le site a été migré (touched_tables.json réécrit)"
ok "modification locale : refus (code $STATUT), « git pull a échoué (modifications locales ?) : rien n'a été migré », HEAD toujours $HEAD_AVANT, site non migré"
comme git checkout -q -- VERSION-EXERCICE
pids_du_bench | grep -v -- '-redis-' | sort >"$COUCHES/pids-avant"
sleep 1
mise_a_jour || echec "./suivi upgrade a échoué"
HEAD_APRES="$(comme git rev-parse --short HEAD)"
[ "$HEAD_APRES" = "$HEAD_ORIGINE" ] || echec "HEAD est à $HEAD_APRES, origin à $HEAD_ORIGINE"
grep -qF "$HEAD_AVANT → $HEAD_APRES" "$COUCHES/upgrade.log" || echec "la mise à jour ne dit pas $HEAD_AVANT → $HEAD_APRES"
[ "$(comme cat VERSION-EXERCICE)" = "version 2" ] || echec "VERSION-EXERCICE n'est pas celui d'origin"
grep -qF "$SITE : migré" "$COUCHES/upgrade.log" && [ "$(migre_le)" -gt "$MIGRE_AVANT" ] || echec "le site n'a pas été migré"
for _ in $(seq 1 60); do
	[ "$(pids_du_bench | grep -vc -- '-redis-')" = "$(wc -l <"$COUCHES/pids-avant")" ] && [ "$(code_https)" = 200 ] && break
	sleep 1
done
pids_du_bench | grep -v -- '-redis-' | sort >"$COUCHES/pids-apres"
join "$COUCHES/pids-avant" "$COUCHES/pids-apres" | awk '{printf "  %-52s %s → %s\n", $1, $2, $3}'
[ "$(join "$COUCHES/pids-avant" "$COUCHES/pids-apres" | awk '$2 != $3' | wc -l)" = "$(wc -l <"$COUCHES/pids-avant")" ] ||
	echec "des processus n'ont pas été relancés (même pid)"
[ "$(code_https)" = 200 ] || echec "https://$SITE/login ne répond pas après la mise à jour"
UTILISATEUR_API="$(connexion_api)" && [ "$UTILISATEUR_API" = '{"message":"Administrator"}' ] || echec "connexion après la mise à jour : $UTILISATEUR_API"
ok "git pull : HEAD $HEAD_AVANT → $HEAD_APRES (celui d'origin) ; site migré ; $(wc -l <"$COUCHES/pids-avant") programmes relancés (autres pids) ; login 200 et API → $UTILISATEUR_API"
mise_a_jour || echec "la seconde mise à jour a échoué"
grep -qF "déjà à jour" "$COUCHES/upgrade.log" || echec "la seconde mise à jour ne dit pas « déjà à jour »"
[ "$(comme git rev-parse --short HEAD)" = "$HEAD_APRES" ] || echec "HEAD a bougé"
ok "seconde mise à jour : rien de nouveau (« déjà à jour »), HEAD reste $HEAD_APRES"

if [ "$GARDER" = 1 ]; then
	etape "Services laissés en marche (--garder) ; le nettoyage se fait à la main"
	exit 0
fi
trap - ERR
nettoyer
