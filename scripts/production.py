"""Production configuration of the bench, for `./suivi production` (run by bench-cli/bin/python,
the virtualenv where frappe-bench is installed).

It writes the bench's own files only (sites/*.json and config/), never /etc, and needs no root:
./suivi links or copies them into /etc, starts the services and checks them. This split lets the
tests run it on a copy of the bench (tests/production/test_production.py).

What it reuses from bench (bench/config/), the generators `bench setup production` calls:
- `make_nginx_conf` (bench setup nginx): gunicorn and socket.io behind nginx, one server block per
  site by its name (dns_multitenant), HTTPS for the sites that have ssl_certificate/ssl_certificate_key
  in their site_config.json (bench set-ssl-certificate), HTTP → HTTPS redirect, HSTS and the other
  security headers, Frappe's 502 page;
- `generate_supervisor_config` (bench setup supervisor): gunicorn on 127.0.0.1, socketio, the
  workers, the scheduler and the two Redis, restarted when they stop (autorestart).
`bench setup production` itself is not called: it installs Ansible, fail2ban and roles from the
network, assumes systemd, and rewrites nginx.conf with a fresh random name every time, so a second
run would never be "no change". What bench lacks is written here, each with the reason:
a stable nginx output (the random map name seeded by the bench's path), Redis started from the
bench's directory, socketio on loopback, MariaDB sized for the machine, log rotation.

Usage: production.py configurer BENCH [--domaine D --certificat C --cle K] [--utilisateur U]
       production.py mariadb            (prints the MariaDB settings for this machine)
Prints one line per file: « inchangé », « créé » or « modifié ».
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import re
import sys
from pathlib import Path

# Files of the bench this script may write, relative to the bench (the tests compare them).
FICHIERS = [
	"sites/common_site_config.json",
	"config/nginx.conf",
	"config/supervisor.conf",
	"config/logrotate.conf",
	"config/mariadb.cnf",
]
NOM_CONFIG_MARIADB = "98-suivi-social-production.cnf"
UN_MIO = 1024 * 1024
BLOC_INNODB = 128 * UN_MIO  # innodb_buffer_pool_chunk_size: the pool is a multiple of it


def empreinte(chemin: Path) -> str | None:
	return hashlib.sha256(chemin.read_bytes()).hexdigest() if chemin.exists() else None


def ecrire_si_change(chemin: Path, contenu: str) -> None:
	"""Rewrites the file only when its content changes, so its date says when it last changed."""
	if not chemin.exists() or chemin.read_text() != contenu:
		chemin.write_text(contenu)


# ---------------------------------------------------------------------------------------------
# Site configuration: developer mode off, HTTPS certificate, one domain per site
# ---------------------------------------------------------------------------------------------
def configurer_sites(bench: Path, domaine: str | None, certificat: str | None, cle: str | None) -> None:
	from bench.config.common_site_config import get_config, update_config
	from bench.config.site_config import get_site_config, update_site_config

	commun = get_config(str(bench))
	voulu = {
		# nginx serves each site by its own name (README « Un site par CCAS »).
		"dns_multitenant": True,
		"developer_mode": 0,
		"live_reload": False,
		# One web process per core + 1, each with GUNICORN_THREADS threads (generer_supervisor), unless
		# the administrator set it: measured by benchmarks/charge.py (benchmarks/README.md § 6).
		"gunicorn_workers": int(os.environ.get("SUIVI_GUNICORN_WORKERS") or multiprocessing.cpu_count() + 1),
	}
	if domaine:
		# Socket.io and the command line fall back to it; the demo site is not served in production.
		voulu["default_site"] = domaine
	changements = {k: v for k, v in voulu.items() if commun.get(k) != v}
	if changements:
		update_config(changements, bench_path=str(bench))
	for site in sites_du_bench(bench):
		conf = get_site_config(site, bench_path=str(bench))
		a_changer = {}
		if conf.get("developer_mode"):
			a_changer["developer_mode"] = 0
		if site == domaine and certificat and cle:
			a_changer.update(
				{
					k: v
					for k, v in (("ssl_certificate", certificat), ("ssl_certificate_key", cle))
					if conf.get(k) != v
				}
			)
		if a_changer:
			update_site_config(site, a_changer, bench_path=str(bench))
			print(f"  site {site} : {', '.join(sorted(a_changer))} mis à jour")


def sites_du_bench(bench: Path) -> list[str]:
	from bench.bench import Bench

	return sorted(Bench(str(bench)).sites)


# ---------------------------------------------------------------------------------------------
# nginx and supervisor: bench's generators
# ---------------------------------------------------------------------------------------------
def generer_nginx(bench: Path) -> None:
	from bench.config.nginx import make_nginx_conf

	# make_nginx_conf names an nginx map variable with random letters (so that two benches on a host
	# never clash): drawn from a generator seeded by the bench's path, they are the same on every run,
	# and still differ between benches.
	etat = random.getstate()
	random.seed(str(bench))
	try:
		make_nginx_conf(bench_path=str(bench), yes=True)
	finally:
		random.setstate(etat)
	chemin = bench / "config" / "nginx.conf"
	chemin.write_text(aligner_les_entetes(chemin.read_text()))


# The app's own security headers (suivi_social/durcissement.py, ENTETES and STRICT_TRANSPORT_SECURITY;
# tests/production/test_production.py checks they stay equal). bench's nginx template sets other
# values: HSTS with includeSubDomains and preload (a CCAS domain often has sub-domains this site does
# not control) and a looser Referrer-Policy.
ENTETES_DE_L_APPLICATION = {
	"X-Frame-Options": "SAMEORIGIN",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy": "same-origin",
	"Strict-Transport-Security": "max-age=31536000",
}


def aligner_les_entetes(texte: str) -> str:
	"""nginx sends the app's header values, once: on the files it serves itself (/files, error
	pages), and on the app's answers, whose own copies it hides (`always`: errors included)."""
	for entete, valeur in ENTETES_DE_L_APPLICATION.items():
		texte = re.sub(
			rf'add_header {entete} (?:"[^"]*"|[^\s;]+);',
			f'add_header {entete} "{valeur}" always;',
			texte,
		)
	masquer = "".join(f"\t\tproxy_hide_header {entete};\n" for entete in ENTETES_DE_L_APPLICATION)
	return texte.replace("location @webserver {\n", "location @webserver {\n" + masquer)


def fils_gunicorn() -> int:
	"""Threads per gunicorn process (SUIVI_GUNICORN_THREADS, default 4, as Frappe's container images)."""
	return int(os.environ.get("SUIVI_GUNICORN_THREADS") or 4)


def generer_supervisor(bench: Path, utilisateur: str) -> None:
	from bench.config.supervisor import generate_supervisor_config

	generate_supervisor_config(bench_path=str(bench), user=utilisateur, yes=True)
	chemin = bench / "config" / "supervisor.conf"
	texte = chemin.read_text()
	# gunicorn's threads (bench's template has sync workers only). With 50 agents on 2 cores,
	# benchmarks/charge.py measured 3 processes × 4 threads at p50 338 ms, p95 1.6 s, 25 requests/s,
	# against 5 sync processes (bench's 2 per core + 1) at p50 1.4 s, p95 3.1 s, 17 requests/s: a sync
	# process sits idle while MariaDB or Redis answers, and one slow report holds it; threads fill
	# that wait and share the core between short and long requests. --worker-tmp-dir: gunicorn's
	# heartbeat file in memory, not on a disk that may stall (its documentation's advice).
	texte = re.sub(
		r"(gunicorn -b \S+ -w \d+) ",
		lambda m: f"{m.group(1)} --worker-class gthread --threads {fils_gunicorn()} --worker-tmp-dir /dev/shm ",
		texte,
	)
	# bench starts Redis from sites/, but config/redis_*.conf (shared with the Procfile of ./suivi run)
	# name their data and pid files relative to the bench: start them from the bench's directory.
	texte = re.sub(
		r"(\[program:[^\]]*-redis-(?:cache|queue)\][^\[]*?)directory=[^\n]*",
		lambda m: f"{m.group(1)}directory={bench}",
		texte,
	)
	# Frappe's realtime server binds every interface; nginx reaches it on 127.0.0.1 (see
	# config/ecoute_locale.js), so it listens there only, like gunicorn and Redis. FRAPPE_BENCH_ROOT
	# (read by apps/frappe/node_utils.js): this bench's configuration even when apps/ is a link to
	# another checkout's (scripts/exercice_production.sh).
	shim = bench / "config" / "ecoute_locale.js"
	texte = re.sub(
		r"(\[program:[^\]]*-node-socketio\]\ncommand=[^\n]*\n)",
		lambda m: f'{m.group(1)}environment=NODE_OPTIONS="--require {shim}",FRAPPE_BENCH_ROOT="{bench}"\n',
		texte,
	)
	# Rotation by logrotate only (generer_logrotate): supervisord (root) would rename a log past 50 MB
	# and open a new one, root's, that logrotate, running as the bench's owner, could not truncate.
	texte = re.sub(
		r"^((?:stdout|stderr)_logfile)=([^\n]*)\n(?!\1_maxbytes)",
		r"\1=\2\n\1_maxbytes=0\n",
		texte,
		flags=re.M,
	)
	chemin.write_text(texte)


def creer_les_journaux(bench: Path) -> None:
	"""supervisord opens the log files of its programs as root: those it does not find are created
	root's. Made here first, by the bench's owner (this script's user), they stay the owner's."""
	texte = (bench / "config" / "supervisor.conf").read_text()
	for journal in sorted(set(re.findall(r"^(?:stdout|stderr)_logfile=(\S+)$", texte, re.M))):
		# Only the missing ones: touching one an earlier supervisord made (root's, 644) fails for the
		# owner; ./suivi production hands those back (chown) right after.
		if not Path(journal).exists():
			Path(journal).touch()


# ---------------------------------------------------------------------------------------------
# What bench lacks: log rotation and MariaDB sizing
# ---------------------------------------------------------------------------------------------
def generer_logrotate(bench: Path, utilisateur: str) -> None:
	# bench has no logrotate setup, and supervisor's own rotation (by size only, 50 MB × 10, no age
	# limit) is turned off (generer_supervisor). These logs hold user names and addresses, so they are
	# kept 26 weeks (about six months, the CNIL's guidance for access logs), compressed; maxsize: a log
	# past 50 MB turns at the next daily run of logrotate without waiting for the week. copytruncate:
	# the processes keep their file open. dateext: the names never clash with supervisor's web.log.1….
	# su: logrotate works as the bench's owner, whose files they are (creer_les_journaux).
	groupe = utilisateur
	ecrire_si_change(
		bench / "config" / "logrotate.conf",
		f"""# Generated by ./suivi production (scripts/production.py); installed as /etc/logrotate.d/suivi-social-{bench.name}
{bench}/logs/*.log {{
	su {utilisateur} {groupe}
	weekly
	maxsize 50M
	rotate 26
	dateext
	compress
	delaycompress
	missingok
	notifempty
	copytruncate
}}
""",
	)


def memoire_de_la_machine() -> int:
	"""Bytes of memory this machine (or container, when its cgroup caps it) may use."""
	total = 0
	with open("/proc/meminfo") as meminfo:
		for ligne in meminfo:
			if ligne.startswith("MemTotal:"):
				total = int(ligne.split()[1]) * 1024
	try:
		limite = Path("/sys/fs/cgroup/memory.max").read_text().strip()
		if limite.isdigit():
			total = min(total, int(limite))
	except OSError:
		pass
	return total


def taille_du_buffer_pool(memoire: int) -> int:
	"""A third of the memory, in whole 128 MiB chunks, at least one: MariaDB shares the machine with
	gunicorn (2 per core + 1 workers), the RQ workers, socket.io and Redis (512 MB cache)."""
	return max(BLOC_INNODB, (memoire // 3) // BLOC_INNODB * BLOC_INNODB)


def config_mariadb(memoire: int) -> str:
	pool = taille_du_buffer_pool(memoire)
	return f"""# Generated by ./suivi production (scripts/production.py) for {memoire // UN_MIO} MiB of memory:
# a third for InnoDB's cache. Installed as /etc/mysql/mariadb.conf.d/{NOM_CONFIG_MARIADB}.
[mysqld]
innodb_buffer_pool_size = {pool // UN_MIO}M
# MariaDB answers this machine only (Frappe connects to 127.0.0.1).
bind-address = 127.0.0.1
# A list's « structure = X and statut = Y order by modified » was answered by intersecting the two
# single-column indexes (tens of thousands of rows, then a sort): 106 ms on 100,000 files, 2.7 ms
# without the intersection (benchmarks/liste_dossiers.py).
optimizer_switch = 'index_merge_intersection=off'
"""


# ---------------------------------------------------------------------------------------------
def configurer(bench: Path, domaine, certificat, cle, utilisateur) -> None:
	bench = bench.resolve()
	# bench's generators look commands up in PATH (bench, redis-server, node): this bench's first.
	os.environ["PATH"] = os.pathsep.join(
		[str(bench / "bench-cli" / "bin"), str(bench / "env" / "bin"), os.environ.get("PATH", "")]
	)
	os.chdir(bench)
	if domaine and domaine not in sites_du_bench(bench):
		sys.exit(
			f"Le site {domaine} n'existe pas sur ce bench : créez-le d'abord avec ./suivi new-ccas {domaine} …"
		)
	avant = {f: empreinte(bench / f) for f in FICHIERS}
	# The site configs are listed for the report once, with their checksums too.
	configs_avant = {s: empreinte(bench / "sites" / s / "site_config.json") for s in sites_du_bench(bench)}
	configurer_sites(bench, domaine, certificat, cle)
	generer_supervisor(bench, utilisateur)
	generer_nginx(bench)
	generer_logrotate(bench, utilisateur)
	creer_les_journaux(bench)
	ecrire_si_change(bench / "config" / "mariadb.cnf", config_mariadb(memoire_de_la_machine()))
	for fichier in FICHIERS:
		apres = empreinte(bench / fichier)
		etat = "inchangé" if apres == avant[fichier] else ("créé" if avant[fichier] is None else "modifié")
		print(f"  {fichier} : {etat}")
	for site, emp in configs_avant.items():
		if empreinte(bench / "sites" / site / "site_config.json") != emp:
			print(f"  sites/{site}/site_config.json : modifié")


def main(argv=None) -> None:
	parseur = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	sous = parseur.add_subparsers(dest="action", required=True)
	conf = sous.add_parser("configurer")
	conf.add_argument("bench", type=Path)
	conf.add_argument("--domaine")
	conf.add_argument("--certificat")
	conf.add_argument("--cle")
	conf.add_argument("--utilisateur", default=os.environ.get("USER") or "root")
	sous.add_parser("mariadb")
	sous.add_parser("taille-buffer-pool")
	args = parseur.parse_args(argv)
	if args.action == "configurer":
		configurer(args.bench, args.domaine, args.certificat, args.cle, args.utilisateur)
	elif args.action == "mariadb":
		print(config_mariadb(memoire_de_la_machine()), end="")
	else:
		print(taille_du_buffer_pool(memoire_de_la_machine()))


if __name__ == "__main__":
	main()
