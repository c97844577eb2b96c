"""Fault drills (issue 12 « Bad input and faults »), run by a person on a throw-away site.

	env/bin/python benchmarks/exercices_pannes.py --site SITE [EXERCICE ...]

Each drill breaks one thing, says what is expected, checks it, and prints « ATTENDU » or
« ÉCART ». The README (« Sauvegardes et restauration », « Exercices de panne ») lists them.

- disque-plein     the backup folder fills up during a backup (a small tmpfs; root needed): the
                   backup fails with a French message and leaves no file, least of all a readable one;
- tache-tuee       the process running a background job is killed (kill -9, as the OOM killer
                   does) in the middle of a batch written in one transaction: nothing of the batch
                   is written, the job is marked failed, the worker takes the next job by itself;
- redis-arrete     Redis (cache) is stopped: the site answers with an error page, then by itself again
                   once Redis is back. STOPS THE BENCH'S REDIS: only with --seul-sur-le-bench;
- mariadb-redemarre MariaDB is restarted while agents write: every acknowledged write is in the
                   database afterwards, the failed ones were told so, writing resumes by itself.
                   RESTARTS THE MACHINE'S MARIADB: only with --seul-sur-le-bench.

The first two disturb no one and are run in CI's machine by hand (results in
benchmarks/resultats/exercices_pannes.txt); the last two stop services every site shares.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
SITES = BENCH / "sites"
SITES_INTERDITS = {"suivi.localhost", "tests.localhost", "bench.localhost"}
EXERCICES = ("disque-plein", "tache-tuee", "redis-arrete", "mariadb-redemarre")
ECARTS = []


def constat(attendu: bool, texte: str) -> None:
	print(f"  {'ATTENDU' if attendu else 'ÉCART  '} {texte}", flush=True)
	if not attendu:
		ECARTS.append(texte)


def bench(*arguments: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
	environnement = dict(env or os.environ)
	environnement["PATH"] = f"{BENCH / 'bench-cli' / 'bin'}:{BENCH / 'env' / 'bin'}:{environnement['PATH']}"
	return subprocess.run(
		["bench", *arguments], cwd=BENCH, env=environnement, capture_output=True, text=True, timeout=timeout
	)


def connecter(site: str):
	import frappe

	os.chdir(SITES)
	frappe.init(site=site, sites_path=str(SITES))
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


# ---------------------------------------------------------------------------------------------
# Disk full during a backup
# ---------------------------------------------------------------------------------------------
def disque_plein(site: str) -> None:
	print("\n== Disque plein pendant une sauvegarde ==")
	from suivi_social.setup.sauvegardes import se_dechiffre

	cle = json.loads((SITES / site / "site_config.json").read_text())["backup_encryption_key"]
	if os.geteuid() != 0:
		print("  (non fait : monter un petit tmpfs demande root)")
		return
	essai = Path(tempfile.mkdtemp(prefix="sauvegarde-pleine-"))
	mesure = bench("--site", site, "sauvegarder", "--backup-path", str(essai))
	taille = max((p.stat().st_size for p in essai.glob("*-database-enc.sql.gz")), default=0)
	subprocess.run(["rm", "-rf", str(essai)], check=True)
	if mesure.returncode or not taille:
		print(f"  (non fait : la sauvegarde de référence a échoué : {mesure.stderr.strip()})")
		return
	# Too small for the dump itself; then room for the dump but not for its encrypted copy.
	for nom, octets in (
		("pendant l'export de la base", taille // 2),
		("pendant le chiffrement", taille * 11 // 10),
	):
		point = Path(tempfile.mkdtemp(prefix="disque-plein-"))
		subprocess.run(
			["mount", "-t", "tmpfs", "-o", f"size={max(octets, 8192)}", "tmpfs", str(point)], check=True
		)
		try:
			print(
				f"- disque de {max(octets, 8192) // 1024} Kio, plein {nom} (base chiffrée : {taille // 1024} Kio)"
			)
			sortie = bench("--site", site, "sauvegarder", "--backup-path", str(point))
			constat(sortie.returncode == 1, f"bench sauvegarder échoue (code {sortie.returncode})")
			message = (sortie.stderr.strip().splitlines() or [""])[0]
			constat("a échoué" in message or "n'a pas pu être chiffrée" in message, f"message : {message}")
			restes = sorted(p.name for p in point.iterdir())
			constat(not restes, f"aucun fichier laissé dans le dossier plein ({restes or 'vide'})")
			# Frappe's own backup, for comparison: what it leaves on the same full disk.
			for p in point.iterdir():
				p.unlink()
			frappe_seul = bench(
				"--site", site, "backup", "--with-files", "--compress", "--backup-path", str(point)
			)
			restes = sorted(p.name for p in point.iterdir())
			illisibles = sorted(
				p.name
				for p in point.iterdir()
				if not p.name.endswith(".json") and not se_dechiffre(str(p), cle)
			)
			print(
				f"  (pour comparer, bench backup de Frappe seul : code {frappe_seul.returncode}, "
				f"fichiers laissés {restes or 'aucun'}, dont illisibles avec la clé {illisibles or 'aucun'})"
			)
		finally:
			subprocess.run(["umount", str(point)], check=False)
			point.rmdir()
	sortie = bench("--site", site, "sauvegarder", "--backup-path", tempfile.mkdtemp(prefix="apres-"))
	constat(sortie.returncode == 0, "une fois la place revenue, la sauvegarde suivante réussit")


# ---------------------------------------------------------------------------------------------
# A background job killed in the middle of its batch
# ---------------------------------------------------------------------------------------------
def ecrire_lentement(structure: str, marque: str, nombre: int, temoin: str) -> None:
	"""The job: `nombre` files in one transaction (as one import batch), slowly; it writes its
	process id to `temoin` first so that the drill knows whom to kill."""
	import frappe
	from frappe.utils import add_days

	Path(temoin).write_text(f"{os.getpid()} 0")
	for i in range(nombre):
		frappe.get_doc(
			{
				"doctype": "Beneficiaire",
				"structure": structure,
				"nom_usage": marque,
				"prenoms": frappe.generate_hash(length=10),
				# Far-apart birth dates: the duplicate check refuses two near-identical persons.
				"date_naissance": add_days("1940-01-01", 97 * i),
			}
		).insert(ignore_permissions=True)
		Path(temoin).write_text(f"{os.getpid()} {i + 1}")
		time.sleep(0.2)


TRAVAILLEUR = """
import sys
import frappe
from frappe.utils.background_jobs import get_redis_conn
from rq import Queue, Worker

sys.path.insert(0, sys.argv[2])
with frappe.init_site():
	connexion = get_redis_conn()
Worker([Queue(sys.argv[1], connection=connexion)], connection=connexion).work(logging_level="WARNING")
"""


def tache_tuee(site: str) -> None:
	frappe = connecter(site)
	import exercices_pannes  # this file, under the name the worker imports it by
	from frappe.utils.background_jobs import execute_job, get_redis_conn
	from rq import Queue
	from rq.job import Job

	print("\n== Tâche de fond tuée au milieu d'un lot ==")
	structure = frappe.get_all("Structure", pluck="name", limit=1)
	if not structure:
		print("  (non fait : le site n'a aucune structure)")
		return
	# A queue of this drill only: no worker of another bench or test run takes its jobs.
	nom_file = f"suivi-exercice-{frappe.generate_hash(length=8)}"
	connexion = get_redis_conn()
	file = Queue(nom_file, connection=connexion)
	travailleur = subprocess.Popen(
		[sys.executable, "-c", TRAVAILLEUR, nom_file, str(Path(__file__).parent)],
		cwd=SITES,
		start_new_session=True,
	)
	marque = f"Exercice{frappe.generate_hash(length=6)}"
	try:

		def lancer(nombre: int) -> tuple[Job, Path]:
			temoin = Path(tempfile.mkstemp(prefix="tache-")[1])
			temoin.write_text("")
			job = file.enqueue_call(
				execute_job,
				kwargs={
					"site": site,
					# The function itself: frappe.get_attr only resolves the functions of installed apps.
					"method": exercices_pannes.ecrire_lentement,
					"event": None,
					"job_name": "exercice",
					"kwargs": {
						"structure": structure[0],
						"marque": marque,
						"nombre": nombre,
						"temoin": str(temoin),
					},
					"user": "Administrator",
				},
				timeout=300,
			)
			return job, temoin

		job, temoin = lancer(40)
		attendre(lambda: temoin.read_text().strip(), 60)
		time.sleep(2)  # about ten files written, not committed
		pid, ecrits = temoin.read_text().split()
		os.kill(int(pid), signal.SIGKILL)
		print(
			f"- kill -9 du processus qui exécute la tâche ({pid}) après {ecrits} dossiers sur 40, non validés"
		)
		statut = attendre(
			lambda: job.get_status(refresh=True) in ("failed", "stopped") and job.get_status(), 60
		)
		constat(statut == "failed", f"la tâche est marquée en échec dans RQ (statut : {statut})")
		frappe.db.rollback()
		ecrits = frappe.db.count("Beneficiaire", {"nom_usage": marque})
		constat(ecrits == 0, f"rien du lot n'est écrit ({ecrits} dossier(s))")
		suivant, _ = lancer(3)
		statut = attendre(
			lambda: suivant.get_status(refresh=True) in ("finished", "failed") and suivant.get_status(), 60
		)
		frappe.db.rollback()
		ecrits = frappe.db.count("Beneficiaire", {"nom_usage": marque})
		constat(
			statut == "finished" and ecrits == 3,
			f"le même travailleur prend la tâche suivante, seul ({statut}, {ecrits} dossiers écrits)",
		)
		print("  (une tâche tuée n'est pas relancée : l'import se relance, il reprend où il s'est arrêté)")
	finally:
		os.killpg(travailleur.pid, signal.SIGTERM)
		travailleur.wait(timeout=30)
		for nom in frappe.get_all("Beneficiaire", {"nom_usage": marque}, pluck="name"):
			frappe.delete_doc("Beneficiaire", nom, ignore_permissions=True, force=True)
		frappe.db.commit()
		file.delete(delete_jobs=True)


def attendre(condition, secondes: float):
	fin = time.monotonic() + secondes
	while time.monotonic() < fin:
		if resultat := condition():
			return resultat
		time.sleep(0.2)
	return None


# ---------------------------------------------------------------------------------------------
# Redis down, MariaDB restarted: shared services, a throw-away bench only
# ---------------------------------------------------------------------------------------------
def requete(site: str, chemin: str) -> tuple[int, str]:
	"""One request through Frappe's WSGI application, as gunicorn would make it."""
	code = f"""
import json, sys
from werkzeug.test import Client
import frappe.app
reponse = Client(frappe.app.application).get({chemin!r}, headers={{"Host": {site!r}}})
print(json.dumps([reponse.status_code, reponse.get_data(as_text=True)[:300]]))
"""
	sortie = subprocess.run(
		[sys.executable, "-c", code], cwd=SITES, capture_output=True, text=True, timeout=120
	)
	try:
		return tuple(json.loads(sortie.stdout.strip().splitlines()[-1]))
	except (ValueError, IndexError):
		return (0, sortie.stderr[-300:])


def redis_arrete(site: str) -> None:
	print("\n== Redis arrêté ==")
	reglages = json.loads((SITES / "common_site_config.json").read_text())
	port = reglages["redis_cache"].rsplit(":", 1)[1]
	constat(requete(site, "/api/method/ping")[0] == 200, "avant : le site répond")
	subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], check=False)
	# `ping` needs no cache: it keeps answering. The login page reads the site's settings through
	# the cache: an error page, never a wrong page.
	code, corps = requete(site, "/api/method/ping")
	print(f"- Redis (cache, port {port}) arrêté : /api/method/ping répond {code}")
	code, corps = requete(site, "/login")
	print(f"- Redis arrêté : /login répond {code}")
	constat(
		code >= 500 or code == 0 or (code == 200 and "login" in corps.lower()),
		f"/login : une page d'erreur ou la vraie page, jamais une page fausse ({code} : {corps[:120]!r})",
	)
	subprocess.run(
		["redis-server", str(BENCH / "config" / "redis_cache.conf"), "--daemonize", "yes"],
		check=True,
		cwd=BENCH,
	)
	time.sleep(1)
	constat(
		requete(site, "/login")[0] == 200,
		"Redis revenu : la page de connexion répond de nouveau, sans redémarrage",
	)


def mariadb_redemarre(site: str) -> None:
	frappe = connecter(site)
	print("\n== MariaDB redémarré pendant des écritures ==")
	structure = frappe.get_all("Structure", pluck="name", limit=1)[0]
	marque = f"Redemarrage{frappe.generate_hash(length=6)}"
	frappe.destroy()
	acquittes, echecs, arret = [], [], threading.Event()

	def agent(numero: int) -> None:
		import frappe
		from frappe.utils import add_days

		i = 0
		while not arret.is_set():
			i += 1
			try:
				if not getattr(frappe.local, "db", None):
					frappe.init(site=site, sites_path=str(SITES))
					frappe.connect()
				doc = frappe.get_doc(
					{
						"doctype": "Beneficiaire",
						"structure": structure,
						"nom_usage": marque,
						"prenoms": frappe.generate_hash(length=10),
						"date_naissance": add_days("1940-01-01", 97 * (numero * 1000 + i) % 30000),
					}
				).insert(ignore_permissions=True)
				frappe.db.commit()
				acquittes.append(doc.name)  # acknowledged: the commit returned
			except Exception as erreur:
				echecs.append(type(erreur).__name__)
				frappe.destroy()
				time.sleep(0.5)
		frappe.destroy()

	agents = [threading.Thread(target=agent, args=(n,)) for n in range(4)]
	for t in agents:
		t.start()
	time.sleep(3)
	print("- service mariadb restart, quatre agents enregistrent des dossiers en continu")
	subprocess.run(["service", "mariadb", "restart"], check=True)
	avant = len(acquittes)
	time.sleep(5)
	arret.set()
	for t in agents:
		t.join(timeout=60)
	constat(
		len(acquittes) > avant,
		f"les écritures reprennent seules après le redémarrage ({len(acquittes)} acquittées)",
	)
	print(f"  écritures refusées pendant le redémarrage (l'agent a vu une erreur) : {len(echecs)}")
	frappe = connecter(site)
	presents = set(frappe.get_all("Beneficiaire", {"nom_usage": marque}, pluck="name"))
	constat(
		set(acquittes) <= presents,
		f"aucune écriture acquittée n'est perdue ({len(set(acquittes) - presents)} perdue(s))",
	)
	for nom in presents:
		frappe.delete_doc("Beneficiaire", nom, ignore_permissions=True, force=True)
	frappe.db.commit()


def main() -> int:
	parser = argparse.ArgumentParser(description="Exercices de panne sur un site jetable.")
	parser.add_argument("--site", required=True)
	parser.add_argument(
		"--seul-sur-le-bench", action="store_true", help="autorise à arrêter Redis et MariaDB"
	)
	parser.add_argument(
		"exercices", nargs="*", help=f"parmi {', '.join(EXERCICES)} (par défaut les deux premiers)"
	)
	arguments = parser.parse_args()
	arguments.exercices = arguments.exercices or ["disque-plein", "tache-tuee"]
	if inconnus := set(arguments.exercices) - set(EXERCICES):
		parser.error(f"exercice inconnu : {', '.join(sorted(inconnus))} (parmi {', '.join(EXERCICES)}).")
	if arguments.site in SITES_INTERDITS or not (SITES / arguments.site / "site_config.json").exists():
		parser.error(
			f"{arguments.site} : un site jetable de ce bench, jamais {', '.join(sorted(SITES_INTERDITS))}."
		)
	partages = {"redis-arrete", "mariadb-redemarre"} & set(arguments.exercices)
	if partages and not arguments.seul_sur_le_bench:
		parser.error(
			f"{', '.join(sorted(partages))} arrête un service de toute la machine : --seul-sur-le-bench."
		)
	sys.path.insert(0, str(Path(__file__).parent))
	actions = {
		"disque-plein": disque_plein,
		"tache-tuee": tache_tuee,
		"redis-arrete": redis_arrete,
		"mariadb-redemarre": mariadb_redemarre,
	}
	print(f"Exercices de panne sur {arguments.site}, {time.strftime('%Y-%m-%d %H:%M:%S')}")
	for exercice in arguments.exercices:
		actions[exercice](arguments.site)
	print(f"\n{len(ECARTS)} écart(s).")
	return 1 if ECARTS else 0


if __name__ == "__main__":
	sys.exit(main())
