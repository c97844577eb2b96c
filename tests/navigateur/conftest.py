"""Browser tests: Debian's chromium, driven by Playwright, on the desk of the test site.

Once per session: the world of « CCAS Navigateur » is rebuilt (donnees.py), the site is served on
127.0.0.1 by a werkzeug process (serveur.py) with Frappe's realtime server (node socketio.js) beside
it, and one chromium is started. Each role gets one browser context, logged in once through the
real login page and reused by the following tests. Every page a test opens is watched (outils.
Surveillance): a JavaScript error, a failed request, an HTTP error or an error dialog fails the test.
A test whose action runs as a background job (the import of a workbook) asks for `travailleur`: a
`bench worker` on the test server's own job queues (travailleur.py).

These tests run after every other test package (pytest_collection_modifyitems below): their data is
committed by the web server, and they are the slowest.
"""

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BENCH, SITES, TEST_SITE

ICI = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SUIVI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-dev-shm-usage",
	"--lang=fr-FR",
]
# 2 CPUs in CI: the first desk load of a context takes a few seconds.
DELAI_MS = 20_000
# Names the job queues of the test server and of its worker (travailleur.py, serveur.py): apart
# from the bench's own queues, where other sites' and earlier runs' jobs wait.
BENCH_ID = f"{BENCH.as_posix().strip('/').replace('/', '-')}-navigateur"


def pytest_collection_modifyitems(session, config, items):
	"""Browser tests last, the logins first among them (their contexts are reused); the sort is
	stable, so the order within each group is kept."""

	def rang(item):
		chemin = Path(str(item.path))
		if not chemin.is_relative_to(ICI):
			return 0
		return 1 if chemin.name == "test_connexion.py" else 2

	items.sort(key=rang)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	report = outcome.get_result()
	setattr(item, f"rapport_{report.when}", report)


# --- Servers ----------------------------------------------------------------------------------


def port_libre() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def attendre_http(url: str, process: subprocess.Popen, journal: Path, delai: float = 90) -> None:
	fin = time.monotonic() + delai
	while time.monotonic() < fin:
		if process.poll() is not None:
			pytest.fail(
				f"Le serveur s'est arrêté (code {process.returncode}) :\n{journal.read_text()[-3000:]}"
			)
		try:
			with urllib.request.urlopen(url, timeout=5) as response:
				if response.status == 200:
					return
		except OSError:
			pass
		time.sleep(0.3)
	pytest.fail(f"{url} ne répond pas après {delai} s :\n{journal.read_text()[-3000:]}")


def arreter(process: subprocess.Popen) -> None:
	process.terminate()
	try:
		process.wait(timeout=10)
	except subprocess.TimeoutExpired:
		process.kill()
		process.wait()


@pytest.fixture(scope="session")
def monde_nv(frappe_site):
	"""The world of « CCAS Navigateur », for one browser session at a time on this bench: two
	overlapping runs would delete each other's files."""
	from tests.navigateur.donnees import construire
	from tests.navigateur.outils import ARTEFACTS

	ARTEFACTS.mkdir(exist_ok=True)
	with (ARTEFACTS / ".verrou").open("w") as verrou:
		fcntl.flock(verrou, fcntl.LOCK_EX)
		for ancienne in ARTEFACTS.glob("*.png"):
			ancienne.unlink()
		yield construire()


@pytest.fixture(scope="session")
def serveur(monde_nv):
	"""The test site on http://127.0.0.1:<free port>, and its realtime server."""
	from tests.navigateur.outils import ARTEFACTS, JOURNAL_WEB

	ARTEFACTS.mkdir(exist_ok=True)
	vider_les_files_d_attente()
	node = shutil.which("node")
	if not node:
		pytest.fail("Node.js introuvable : « ./suivi setup » l'installe (serveur temps réel).")
	port, port_socketio = port_libre(), port_libre()

	# Realtime (apps/frappe/realtime/middlewares/authenticate.js): the namespace the desk opens is
	# "/" + frappe.boot.sitename; node accepts it only if it equals the site it derives from the
	# request, which for a Host of 127.0.0.1 or localhost is `default_site` of common_site_config
	# (the demo site here). FRAPPE_SITE overrides it (node_utils.js get_conf). Node then checks the
	# session by calling back the page's Origin (our server) with the sid cookie.
	journal_socketio = ARTEFACTS / "socketio.log"
	socketio = subprocess.Popen(
		[node, str(BENCH / "apps" / "frappe" / "socketio.js")],
		cwd=BENCH,
		env={**os.environ, "FRAPPE_SITE": TEST_SITE, "FRAPPE_SOCKETIO_PORT": str(port_socketio)},
		stdout=journal_socketio.open("w"),
		stderr=subprocess.STDOUT,
	)
	journal_web = JOURNAL_WEB
	web = subprocess.Popen(
		[sys.executable, str(ICI / "serveur.py"), str(port), TEST_SITE, str(port_socketio), BENCH_ID],
		cwd=SITES,
		env={**os.environ, "DEV_SERVER": "1", "PYTHONUNBUFFERED": "1"},
		stdout=journal_web.open("w"),
		stderr=subprocess.STDOUT,
	)
	try:
		attendre_http(
			f"http://127.0.0.1:{port_socketio}/socket.io/?EIO=4&transport=polling", socketio, journal_socketio
		)
		attendre_http(f"http://127.0.0.1:{port}/api/method/ping", web, journal_web)
		yield f"http://127.0.0.1:{port}"
	finally:
		arreter(web)
		arreter(socketio)


def vider_les_files_d_attente() -> None:
	"""The test server's job queues start empty: a job left by an interrupted run would name an
	import of the new run (names are reused once the old records are deleted)."""
	from frappe.utils.background_jobs import get_queues_timeout, get_redis_conn
	from rq import Queue

	for file in get_queues_timeout():
		Queue(f"{BENCH_ID}:{file}", connection=get_redis_conn()).empty()


@pytest.fixture(scope="session")
def travailleur(serveur):
	"""The background worker of the test server (travailleur.py), for the tests whose action runs
	as a background job (the import of a workbook): `bench worker`'s own loop, on the queues of the
	test server only. Started on first use; its log is artefacts/travailleur.log."""
	from tests.navigateur.outils import ARTEFACTS

	journal = ARTEFACTS / "travailleur.log"
	process = subprocess.Popen(
		[sys.executable, str(ICI / "travailleur.py"), BENCH_ID],
		cwd=SITES,
		env={**os.environ, "PYTHONUNBUFFERED": "1"},
		stdout=journal.open("w"),
		stderr=subprocess.STDOUT,
	)
	try:
		from frappe.utils.background_jobs import get_redis_conn
		from rq import Worker

		fin = time.monotonic() + 60
		# Registered in Redis once it waits for jobs.
		while not any(w.pid == process.pid for w in Worker.all(connection=get_redis_conn())):
			if process.poll() is not None or time.monotonic() > fin:
				pytest.fail(f"Le processus de fond ne démarre pas :\n{journal.read_text()[-3000:]}")
			time.sleep(0.2)
		yield process
	finally:
		arreter(process)


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
	if not Path(CHROMIUM).exists():
		pytest.fail(f"{CHROMIUM} absent : « ./suivi setup » installe le paquet Debian chromium.")
	from playwright.sync_api import expect, sync_playwright

	expect.set_options(timeout=10_000)
	with sync_playwright() as p:
		browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
		yield browser
		browser.close()


class Roles:
	"""One logged-in browser context per role, created by a real login on first use."""

	def __init__(self, browser, base_url: str, monde):
		self.browser = browser
		self.base_url = base_url
		self.monde = monde
		self.contextes = {}
		self.tous = []
		self.surveillances = {}

	def nouveau_contexte(self):
		from tests.navigateur.outils import installer_espion

		context = self.browser.new_context(
			locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1400, "height": 1000}
		)
		context.set_default_timeout(DELAI_MS)
		self.tous.append(context)
		installer_espion(context, self.surveillances)
		return context

	def page(self, context):
		from tests.navigateur.outils import Surveillance

		page = context.new_page()
		self.surveillances[page] = Surveillance(page)
		return page

	def connexion(self, role: str):
		"""A fresh context and a real login as this role; the context is kept for later tests."""
		from tests.navigateur.donnees import MOT_DE_PASSE
		from tests.navigateur.outils import ARTEFACTS, se_connecter

		context = self.nouveau_contexte()
		page = self.page(context)
		se_connecter(page, self.base_url, self.monde.comptes[role], MOT_DE_PASSE)
		context.storage_state(path=str(ARTEFACTS / f"session-{role}.json"))
		self.contextes.setdefault(role, context)
		return page

	def contexte(self, role: str):
		if role not in self.contextes:
			page = self.connexion(role)
			self.surveillances.pop(page).verifier()
			page.close()
		return self.contextes[role]


@pytest.fixture(scope="session")
def roles(chromium, serveur, monde_nv):
	roles = Roles(chromium, serveur, monde_nv)
	yield roles
	for context in roles.tous:
		context.close()


@pytest.fixture
def onglet(request, roles):
	"""ouvrir(role) -> a new page of that role's context, watched until the end of the test."""
	ouvertes = []

	def ouvrir(role: str, connexion: bool = False):
		page = roles.connexion(role) if connexion else roles.page(roles.contexte(role))
		ouvertes.append(page)
		return page

	yield ouvrir

	from tests.navigateur.outils import capture

	rapport = getattr(request.node, "rapport_call", None)
	erreurs = []
	for i, page in enumerate(ouvertes):
		if rapport is not None and rapport.failed:
			capture(page, f"echec-{request.node.name}-{i}")
		try:
			roles.surveillances.pop(page).verifier()
		except AssertionError as exc:
			erreurs.append(str(exc))
		finally:
			page.close()
	if erreurs:
		pytest.fail("\n".join(erreurs), pytrace=False)
