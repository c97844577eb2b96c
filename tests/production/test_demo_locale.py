"""`./suivi run` is a demonstration: it answers this machine only, and never shows the Werkzeug
debugger (a PIN away from running code on the machine). Each test fails if the rule breaks."""

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import BENCH, SITES, TEST_SITE

PROCFILE = BENCH / "Procfile"


def ligne_du_procfile(processus: str) -> str:
	for ligne in PROCFILE.read_text().splitlines():
		if ligne.startswith(f"{processus}:"):
			return ligne.split(":", 1)[1].strip()
	raise AssertionError(f"Le Procfile n'a pas de processus « {processus} »")


def test_le_procfile_sert_par_le_serveur_local_de_l_application():
	"""`bench serve` binds 0.0.0.0 with the debugger on (frappe/app.py `serve`): never in the demo."""
	web = ligne_du_procfile("web")
	assert web.startswith("bench serve-sites "), web
	assert "0.0.0.0" not in PROCFILE.read_text()


def test_le_socketio_de_la_demo_n_ecoute_que_la_machine():
	socketio = ligne_du_procfile("socketio")
	assert "--require ./config/ecoute_locale.js" in socketio, socketio


def port_libre() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def adresse_hors_boucle_locale() -> str | None:
	"""An address of this machine other than loopback (the one other machines would use)."""
	sortie = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
	return next((a for a in sortie if ":" not in a and not a.startswith("127.")), None)


def attendre_le_port(port: int, processus: subprocess.Popen, delai: float = 60) -> None:
	fin = time.monotonic() + delai
	while time.monotonic() < fin:
		if processus.poll() is not None:
			raise AssertionError(f"Le serveur s'est arrêté : {processus.stdout.read()}")
		try:
			socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
			return
		except OSError:
			time.sleep(0.3)
	raise AssertionError(f"Le serveur de démonstration ne répond pas sur le port {port}")


def lire(url: str, hote: str) -> tuple[int, str]:
	requete = urllib.request.Request(url, headers={"Host": hote})
	try:
		with urllib.request.urlopen(requete, timeout=30) as reponse:
			return reponse.status, reponse.read().decode("utf-8", "replace")
	except urllib.error.HTTPError as erreur:
		return erreur.code, erreur.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def serveur_de_demo():
	"""The Procfile's `web` command, on a free port, serving the test site by its name."""
	port = port_libre()
	commande = ligne_du_procfile("web").replace("--port 8000", f"--port {port}").split()
	assert commande[:2] == ["bench", "serve-sites"]
	processus = subprocess.Popen(
		[str(BENCH / "bench-cli/bin/bench"), *commande[1:], "--noreload"],
		cwd=SITES,
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		text=True,
	)
	try:
		attendre_le_port(port, processus)
		yield port
	finally:
		processus.terminate()
		processus.wait(timeout=30)


def test_le_serveur_de_demo_refuse_les_autres_machines(serveur_de_demo):
	adresse = adresse_hors_boucle_locale()
	if adresse is None:
		pytest.skip("Cette machine n'a pas d'adresse réseau autre que 127.0.0.1 : rien à vérifier.")
	with pytest.raises(ConnectionRefusedError):
		socket.create_connection((adresse, serveur_de_demo), timeout=5).close()


def test_le_serveur_de_demo_n_a_pas_le_debogueur(serveur_de_demo):
	base = f"http://127.0.0.1:{serveur_de_demo}"
	statut, page = lire(f"{base}/login", TEST_SITE)
	assert statut == 200, page[:500]
	# Werkzeug's debugger serves its own files under this query string, whatever the path.
	statut, page = lire(f"{base}/?__debugger__=yes&cmd=resource&f=style.css", TEST_SITE)
	assert "-- Werkzeug debugger" not in page and "div.debugger" not in page, page[:300]
	# An error page carries no console and no secret of the debugger.
	statut, page = lire(f"{base}/api/method/frappe.cette_methode_n_existe_pas", TEST_SITE)
	assert statut >= 400
	assert not re.search(r"__debugger__|SECRET = \"|EVALEX", page), page[:500]
