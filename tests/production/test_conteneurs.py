"""Smoke tests of the container stack (deploiement/conteneurs: frappe_docker's custom image and
compose topology; README, « Passer à plusieurs machines »).

They need podman and the image built by deploiement/conteneurs/construire-image.sh (long: about
ten minutes on two cores) and take four minutes: they run only when asked, SUIVI_TEST_CONTENEURS=1
(README, « Passer à plusieurs machines »), and are skipped with the reason otherwise or where podman
or the image is missing — not in `./suivi test` nor CI, whatever the machine holds. The module starts the stack with essai-local.sh (the demo site ccas.localhost on
127.0.0.1:18080, MariaDB and Redis as containers), checks it through nginx as a browser and the
realtime client would, then removes containers and volumes (SUIVI_CONTENEURS_GARDER=1 keeps
them). Last run's output: docs/conteneurs-verification.txt.
"""

import json
import os
import re
import shutil
import subprocess
import time
import uuid

import pytest
import requests

from tests.conftest import BENCH

ESSAI = BENCH / "deploiement" / "conteneurs" / "essai-local.sh"
IMAGE = os.environ.get("SUIVI_IMAGE", "localhost/suivi-social:v15")
PROJET = os.environ.get("SUIVI_ESSAI_PROJET", "suivi-essai")
PORT = int(os.environ.get("SUIVI_ESSAI_PORT", "18080"))
SITE = "ccas.localhost"
URL = f"http://127.0.0.1:{PORT}"
# nginx serves the site named by FRAPPE_SITE_NAME_HEADER; socket.io also wants the Host to match
# the Origin nginx sets (Frappe's realtime/middlewares/authenticate.js).
ENTETES = {"Host": SITE}
ACCUEIL = "accueil@ccas-demo.fr"  # Agent d'accueil of the demo (suivi_social.demo)
MOT_DE_PASSE_DEMO = "demo"


def _raison_de_sauter() -> str | None:
	if os.environ.get("SUIVI_TEST_CONTENEURS") != "1":
		return "Essai long (4 minutes, conteneurs) : lancé à la main avec SUIVI_TEST_CONTENEURS=1 (README, « Passer à plusieurs machines »)."
	if not shutil.which("podman"):
		return "podman absent : la pile en conteneurs n'est pas essayée (README, « Passer à plusieurs machines »)."
	if subprocess.run(["podman", "image", "exists", IMAGE], capture_output=True).returncode != 0:
		return f"Image {IMAGE} absente : lancez deploiement/conteneurs/construire-image.sh (CI ne construit pas d'image)."
	return None


pytestmark = pytest.mark.skipif(_raison_de_sauter() is not None, reason=_raison_de_sauter() or "")


def essai(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
	fait = subprocess.run([str(ESSAI), *args], capture_output=True, text=True, timeout=timeout, cwd=BENCH)
	assert fait.returncode == 0, f"essai-local.sh {args[0]} : {fait.stderr[-3000:]}"
	return fait


@pytest.fixture(scope="module")
def pile():
	deja = os.environ.get("SUIVI_CONTENEURS_DEJA_LANCES") == "1"
	if not deja:
		essai("up", timeout=3600)
	yield URL
	if not deja and os.environ.get("SUIVI_CONTENEURS_GARDER") != "1":
		essai("down", timeout=600)


def session_de(email: str, mot_de_passe: str) -> requests.Session:
	"""Logged in through /api/method/login, as the login page's form does."""
	s = requests.Session()
	s.headers.update(ENTETES)
	r = s.post(f"{URL}/api/method/login", data={"usr": email, "pwd": mot_de_passe}, timeout=30)
	assert r.status_code == 200, r.text
	assert (
		"verification" not in r.json()
	), "l'agent d'accueil de démonstration n'a pas de double authentification"
	return s


def test_page_de_connexion_en_francais_et_fichiers_statiques(pile):
	r = requests.get(f"{pile}/login", headers=ENTETES, timeout=30)
	assert r.status_code == 200
	assert re.search(r'<html[^>]*lang="fr"', r.text), "la page de connexion n'est pas en français"
	assert "Connexion" in r.text
	# The assets were built into the image; nginx serves them from there (not the backend).
	for chemin in re.findall(r'href="(/assets/frappe/dist/css/[^"]+\.css)"', r.text)[:2]:
		statique = requests.get(f"{pile}{chemin}", headers=ENTETES, timeout=30)
		assert statique.status_code == 200, chemin
		assert "text/css" in statique.headers["Content-Type"]


def test_ping(pile):
	r = requests.get(f"{pile}/api/method/ping", headers=ENTETES, timeout=30)
	assert r.status_code == 200
	assert r.json() == {"message": "pong"}


def test_connexion_d_un_utilisateur_de_demonstration(pile):
	s = session_de(ACCUEIL, MOT_DE_PASSE_DEMO)
	assert s.get(f"{pile}/api/method/frappe.auth.get_logged_user", timeout=30).json()["message"] == ACCUEIL
	faux = requests.post(
		f"{pile}/api/method/login", data={"usr": ACCUEIL, "pwd": "pas-le-bon"}, headers=ENTETES, timeout=30
	)
	assert faux.status_code == 401


def test_page_accueil_pour_l_agent_d_accueil(pile):
	s = session_de(ACCUEIL, MOT_DE_PASSE_DEMO)
	bureau = s.get(f"{pile}/app/accueil", timeout=60)
	assert bureau.status_code == 200
	assert "/assets/suivi_social/" in bureau.text, "les fichiers de l'application manquent au bureau"
	page = s.get(f"{pile}/api/method/frappe.desk.desk_page.getpage", params={"name": "accueil"}, timeout=30)
	assert page.status_code == 200, page.text
	assert page.json()["docs"][0]["name"] == "accueil"
	# The page's search, through the app's code and the demo's data in the MariaDB container.
	trouve = s.get(
		f"{pile}/api/method/suivi_social.accueil.api.chercher", params={"texte": "Lefèvre"}, timeout=30
	)
	assert trouve.status_code == 200, trouve.text
	assert trouve.json()["message"]["resultats"], "la recherche de l'accueil ne trouve pas la démonstration"


class ClientTempsReel:
	"""The Engine.IO 4 long-polling transport of socket.io, which the desk falls back to: enough to
	connect to the site's namespace with the session cookie and read the events it receives."""

	def __init__(self, session: requests.Session):
		self.session = session
		self.url = f"{URL}/socket.io/"
		r = session.get(self.url, params={"EIO": "4", "transport": "polling"}, timeout=30)
		assert r.status_code == 200 and r.text.startswith("0"), r.text
		self.sid = json.loads(r.text[1:])["sid"]

	def envoyer(self, paquet: str) -> None:
		r = self.session.post(self.url, params=self._params(), data=paquet, timeout=30)
		assert r.status_code == 200 and r.text == "ok", r.text

	def recevoir(self) -> list[str]:
		r = self.session.get(self.url, params=self._params(), timeout=40)
		assert r.status_code == 200, r.text
		paquets = r.text.split("\x1e")
		for paquet in paquets:
			if paquet == "2":  # Engine.IO ping: answer, or the server closes the session
				self.envoyer("3")
		return paquets

	def attendre(self, motif: str, delai: float = 60) -> str:
		fin = time.monotonic() + delai
		while time.monotonic() < fin:
			for paquet in self.recevoir():
				if motif in paquet:
					return paquet
		raise AssertionError(f"rien reçu qui contienne {motif!r} en {delai} s")

	def _params(self) -> dict:
		return {"EIO": "4", "transport": "polling", "sid": self.sid}


def test_temps_reel_et_tache_de_fond(pile):
	"""The websocket service authenticates the session against the site, answers a ping, and
	delivers an event that a job published: the job ran in a worker container (queue short)."""
	client = ClientTempsReel(session_de(ACCUEIL, MOT_DE_PASSE_DEMO))
	client.envoyer(f"40/{SITE},")
	connexion = client.attendre(f"/{SITE},")
	assert connexion.startswith(f"40/{SITE},"), f"connexion refusée : {connexion}"
	client.envoyer(f'42/{SITE},["ping"]')
	client.attendre('"pong"')

	marque = uuid.uuid4().hex
	# (frappe.enqueue keeps an `event` argument for itself: the job publishes under the default name)
	job = python_du_site(
		"job = frappe.enqueue('frappe.publish_realtime', queue='short',"
		f" message={{'marque': '{marque}'}}, user='{ACCUEIL}', after_commit=False); print(job.id)"
	)
	evenement = client.attendre(marque, delai=90)
	assert evenement.startswith(f"42/{SITE},"), evenement
	statut = python_du_site(
		"from rq.job import Job; from frappe.utils.background_jobs import get_redis_conn;"
		f" j = Job.fetch('{job}', connection=get_redis_conn()); print(j.get_status(), j.worker_name)"
	)
	assert statut.startswith("finished"), statut


def test_planificateur_actif(pile):
	"""The scheduler container only runs jobs for sites whose scheduler is on; a new site's starts
	off, and create-site's setup wizard turns it on. Off, the morning reminder e-mails never go."""
	assert (
		python_du_site(
			"from frappe.utils.scheduler import is_scheduler_disabled; print(is_scheduler_disabled())"
		)
		== "False"
	)


def python_du_site(code: str) -> str:
	"""Python run in the backend container, connected to the site as Administrator: what an
	operator does with `bench console`. Returns the last printed line."""
	script = f"import frappe; frappe.init(site='{SITE}', sites_path='.'); frappe.connect(); {code}"
	sortie = essai("exec", "backend", "bash", "-c", f'cd sites && ../env/bin/python -c "{script}"').stdout
	return sortie.strip().splitlines()[-1]


def test_deux_repliques_web(pile):
	"""Two gunicorn containers behind the one nginx: each answers, and a session opened through
	nginx is valid on both (sessions live in Redis and MariaDB, not in a process)."""
	essai("scale", "2", timeout=600)  # also reloads nginx, which resolves "backend" then
	repliques = subprocess.run(
		["podman", "ps", "--filter", f"name=^{PROJET}_backend_", "--format", "{{.Names}}"],
		capture_output=True,
		text=True,
		check=True,
	).stdout.split()
	assert len(repliques) == 2, repliques
	s = None
	for _ in range(30):
		try:
			s = session_de(ACCUEIL, MOT_DE_PASSE_DEMO)
			break
		except (requests.ConnectionError, AssertionError):
			time.sleep(2)
	assert s is not None, "nginx ne répond plus après son redémarrage"
	ips = []
	for nom in repliques:
		ip = subprocess.run(
			[
				"podman",
				"inspect",
				nom,
				"--format",
				"{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
			],
			capture_output=True,
			text=True,
			check=True,
		).stdout.strip()
		ips.append(ip)
		direct = requests.get(
			f"http://{ip}:8000/api/method/frappe.auth.get_logged_user",
			headers={"Host": SITE, "X-Frappe-Site-Name": SITE, "Cookie": f"sid={s.cookies['sid']}"},
			timeout=30,
		)
		assert direct.status_code == 200, (nom, direct.text)
		assert direct.json()["message"] == ACCUEIL, nom
	# nginx's upstream "backend" now names both replicas (resolved at its reload)...
	adresses = essai("exec", "frontend", "getent", "ahostsv4", "backend").stdout
	for ip in ips:
		assert ip in adresses, (ip, adresses)
	# ...and requests through nginx keep succeeding, spread over the two.
	for _ in range(10):
		assert (
			s.get(f"{pile}/api/method/frappe.auth.get_logged_user", timeout=30).json()["message"] == ACCUEIL
		)
