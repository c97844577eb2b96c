"""What `./suivi production` writes, checked without root on a copy of the bench (README, « Mise en
production »). The full run as root (nginx on 443, supervisor restarting killed processes, the
second run changing nothing in /etc) is the drill scripts/exercice_production.sh, whose output is
docs/production-verification.txt."""

import getpass
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from suivi_social import durcissement
from tests.conftest import BENCH, TEST_SITE

SITE = "ccas.exemple.fr"
CERTIFICAT = "/etc/ssl/suivi/ccas.exemple.fr.pem"
CLE = "/etc/ssl/suivi/ccas.exemple.fr.key"
FICHIERS = [
	"sites/common_site_config.json",
	f"sites/{SITE}/site_config.json",
	"config/nginx.conf",
	"config/supervisor.conf",
	"config/logrotate.conf",
	"config/mariadb.cnf",
]


def copie_du_bench(dossier: Path) -> Path:
	"""A bench with this one's code (links) and its own sites/ and config/: the demo's settings, a
	CCAS site left in developer mode."""
	copie = dossier / "banc"
	(copie / "sites" / SITE).mkdir(parents=True)
	(copie / "config").mkdir()
	(copie / "logs").mkdir()
	for lien in ("env", "bench-cli", "apps"):
		(copie / lien).symlink_to(BENCH / lien)
	for fichier in ("redis_cache.conf", "redis_queue.conf", "ecoute_locale.js"):
		shutil.copy(BENCH / "config" / fichier, copie / "config" / fichier)
	shutil.copy(BENCH / "sites" / "apps.txt", copie / "sites" / "apps.txt")
	commun = json.loads((BENCH / "sites" / "common_site_config.json").read_text())
	commun["developer_mode"] = 1
	(copie / "sites" / "common_site_config.json").write_text(json.dumps(commun))
	(copie / "sites" / SITE / "site_config.json").write_text(
		json.dumps({"db_name": "_essai", "db_password": "x", "developer_mode": 1})
	)
	return copie


def configurer(banc: Path) -> str:
	return subprocess.run(
		[
			str(BENCH / "bench-cli/bin/python"),
			str(BENCH / "scripts/production.py"),
			"configurer",
			str(banc),
			"--domaine",
			SITE,
			"--certificat",
			CERTIFICAT,
			"--cle",
			CLE,
			"--utilisateur",
			"frappe",
		],
		capture_output=True,
		text=True,
		check=True,
		timeout=120,
	).stdout


def empreintes(banc: Path) -> dict[str, str]:
	return {f: hashlib.sha256((banc / f).read_bytes()).hexdigest() for f in FICHIERS}


@pytest.fixture(scope="module")
def banc(tmp_path_factory):
	banc = copie_du_bench(tmp_path_factory.mktemp("production"))
	premier = configurer(banc)
	assert "config/nginx.conf : créé" in premier
	return banc


def test_un_second_passage_ne_change_rien(banc):
	avant = empreintes(banc)
	sortie = configurer(banc)
	assert empreintes(banc) == avant
	for fichier in ("sites/common_site_config.json", "config/nginx.conf", "config/supervisor.conf"):
		assert f"{fichier} : inchangé" in sortie, sortie
	assert "modifié" not in sortie and "mis à jour" not in sortie, sortie


def test_le_mode_developpeur_est_coupe_partout(banc):
	commun = json.loads((banc / "sites/common_site_config.json").read_text())
	site = json.loads((banc / f"sites/{SITE}/site_config.json").read_text())
	assert commun["developer_mode"] == 0 and site["developer_mode"] == 0
	assert commun["dns_multitenant"] is True
	assert commun["default_site"] == SITE


def test_nginx_sert_le_site_en_https_avec_son_certificat(banc):
	nginx = (banc / "config/nginx.conf").read_text()
	conf = json.loads((banc / "sites/common_site_config.json").read_text())
	assert re.search(
		rf"listen 443 ssl;\s+listen \[::\]:443 ssl;\s+server_name\s+{re.escape(SITE)}\s*;", nginx
	)
	assert f"ssl_certificate      {CERTIFICAT};" in nginx
	assert f"ssl_certificate_key  {CLE};" in nginx
	assert "return 301 https://$host$request_uri;" in nginx
	# gunicorn and socket.io are reached on loopback only.
	assert f"server 127.0.0.1:{conf['webserver_port']} fail_timeout=0;" in nginx
	assert f"server 127.0.0.1:{conf['socketio_port']} fail_timeout=0;" in nginx


def test_nginx_envoie_les_en_tetes_de_l_application_une_seule_fois(banc):
	"""The app's values (durcissement.py), not bench's: no HSTS on the sub-domains a CCAS does not
	control, Referrer-Policy same-origin; nginx hides the app's own copies so each comes once."""
	nginx = (banc / "config/nginx.conf").read_text()
	attendus = {**durcissement.ENTETES, "Strict-Transport-Security": durcissement.STRICT_TRANSPORT_SECURITY}
	for entete, valeur in attendus.items():
		lignes = re.findall(rf"add_header {entete} (.*);", nginx)
		assert lignes and set(lignes) == {f'"{valeur}" always'}, (entete, lignes)
		assert f"proxy_hide_header {entete};" in nginx
	assert "includeSubDomains" not in nginx


def test_supervisor_garde_chaque_processus_et_ecoute_en_local(banc):
	conf = (banc / "config/supervisor.conf").read_text()
	nom = banc.name
	programmes = dict(re.findall(r"\[program:([^\]]+)\]\n(.*?)(?=\n\[|\Z)", conf, re.S))
	for programme in ("frappe-web", "node-socketio", "frappe-schedule", "frappe-short-worker", "redis-cache"):
		assert f"{nom}-{programme}" in programmes, programmes.keys()
	for programme, corps in programmes.items():
		# autorestart=unexpected (supervisor's default, the scheduler's) also restarts a killed process.
		assert "autorestart=false" not in corps, programme
	web = programmes[f"{nom}-frappe-web"]
	assert re.search(r"gunicorn -b 127\.0\.0\.1:\d+ ", web), web
	# Threads and --preload, as measured by benchmarks/charge.py (scripts/production.py).
	assert re.search(r" -w \d+ --worker-class gthread --threads \d+ --worker-tmp-dir /dev/shm ", web), web
	assert "--preload" in web, web
	socketio = programmes[f"{nom}-node-socketio"]
	assert f'NODE_OPTIONS="--require {banc}/config/ecoute_locale.js"' in socketio
	assert f"directory={banc}\n" in programmes[f"{nom}-redis-cache"] + "\n"


def test_redis_et_mariadb_n_ecoutent_que_la_machine(banc):
	for fichier in ("redis_cache.conf", "redis_queue.conf"):
		binds = re.findall(r"^bind (.*)$", (BENCH / "config" / fichier).read_text(), re.M)
		assert binds == ["127.0.0.1"], (fichier, binds)
	mariadb = (banc / "config/mariadb.cnf").read_text()
	assert re.search(r"^bind-address = 127\.0\.0\.1$", mariadb, re.M)
	# Lists without MariaDB's index intersection: 40 times faster (benchmarks/liste_dossiers.py).
	assert re.search(r"^optimizer_switch = 'index_merge_intersection=off'$", mariadb, re.M)


def test_mariadb_est_dimensionne_pour_la_memoire_de_la_machine(banc):
	mariadb = (banc / "config/mariadb.cnf").read_text()
	taille = int(re.search(r"^innodb_buffer_pool_size = (\d+)M$", mariadb, re.M).group(1))
	memoire = int(re.search(r"for (\d+) MiB of memory", mariadb).group(1))
	assert taille % 128 == 0 and taille >= 128
	assert taille <= max(128, memoire // 3)
	assert taille > memoire // 3 - 128 or memoire < 384


def test_les_journaux_tournent(banc):
	logrotate = (banc / "config/logrotate.conf").read_text()
	assert f"{banc}/logs/*.log {{" in logrotate
	for directive in ("weekly", "maxsize 50M", "rotate 26", "compress", "copytruncate", "su frappe frappe"):
		assert re.search(rf"^\s+{directive}$", logrotate, re.M), directive


def test_les_journaux_des_programmes_appartiennent_au_compte_du_bench(banc):
	"""supervisord (root) would create the missing logs, and rotate them by size into new ones, as
	root: logrotate, working as the bench's owner (su), could then not truncate them."""
	supervisor = (banc / "config/supervisor.conf").read_text()
	journaux = re.findall(r"^(stdout|stderr)_logfile=(\S+)\n\1_logfile_maxbytes=0$", supervisor, re.M)
	assert len(journaux) == len(re.findall(r"^(?:stdout|stderr)_logfile=", supervisor, re.M)) >= 14
	for _, journal in journaux:
		assert Path(journal).is_file() and Path(journal).owner() == getpass.getuser(), journal


def test_la_production_refuse_un_bench_qui_porte_un_site_de_demonstration_ou_de_test():
	"""nginx would serve such a site (known passwords) to whoever sends its name. The check comes
	before any change: this bench (demo and test sites) is refused, with nothing installed."""
	avant = {p: p.exists() for p in (BENCH / "config/nginx.conf", BENCH / "config/supervisor.conf")}
	# A missing certificate: were the check gone, the run would stop there, before any change.
	resultat = subprocess.run(
		[
			str(BENCH / "suivi"),
			"production",
			"--domaine",
			TEST_SITE,
			"--certificat",
			"/nonexistent/cert.pem",
			"--cle",
			"/nonexistent/cert.key",
		],
		capture_output=True,
		text=True,
		timeout=120,
	)
	assert resultat.returncode != 0
	assert "mots de passe connus" in resultat.stderr, resultat.stderr
	assert {p: p.exists() for p in avant} == avant
