"""The bench seen from outside: its commands in a subprocess, the MariaDB admin account that
./suivi uses, throw-away sites (shared by the tests that create sites or run ./suivi)."""

import hashlib
import os
import subprocess
import tempfile

from tests.conftest import BENCH, SITES


def bench_env() -> dict:
	env = dict(os.environ)
	env["PATH"] = f"{BENCH / 'bench-cli' / 'bin'}:{BENCH / 'env' / 'bin'}:{env['PATH']}"
	return env


def admin_mariadb() -> dict[str, str]:
	"""The MariaDB admin account ./suivi uses (ensure_db_admin): given in the environment, or its own."""
	if os.environ.get("SUIVI_DB_ROOT_USER"):
		return {
			"DB_ROOT_USER": os.environ["SUIVI_DB_ROOT_USER"],
			"DB_ROOT_PASSWORD": os.environ.get("SUIVI_DB_ROOT_PASSWORD", ""),
		}
	fichier = (BENCH / "config" / "db_admin.env").read_text()
	return dict(line.split("=", 1) for line in fichier.split() if "=" in line)


def connexion_admin():
	"""A connection of the admin account, outside Frappe (another session than the test's)."""
	import pymysql

	admin = admin_mariadb()
	return pymysql.connect(
		host="127.0.0.1",
		user=admin["DB_ROOT_USER"],
		password=admin["DB_ROOT_PASSWORD"],
		charset="utf8mb4",
		autocommit=True,
	)


def supprimer_site(site: str) -> None:
	if not (SITES / site).exists():
		return
	admin = admin_mariadb()
	with tempfile.TemporaryDirectory() as archives:
		subprocess.run(
			[
				"bench",
				"drop-site",
				site,
				"--db-root-username",
				admin["DB_ROOT_USER"],
				"--db-root-password",
				admin["DB_ROOT_PASSWORD"],
				"--no-backup",
				"--force",
				"--archived-sites-path",
				archives,
			],
			cwd=BENCH,
			env=bench_env(),
			check=True,
			capture_output=True,
		)


def empreintes(site: str) -> dict[str, str]:
	"""sha256 of every file of the site's public and private files."""
	resultat = {}
	for dossier in ("public/files", "private/files"):
		racine = SITES / site / dossier
		for chemin in sorted(p for p in racine.rglob("*") if p.is_file()):
			resultat[str(chemin.relative_to(SITES / site))] = hashlib.sha256(chemin.read_bytes()).hexdigest()
	return resultat
