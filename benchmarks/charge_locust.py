"""Les agents du test de charge, pour Locust (lancé par benchmarks/charge.py, qui prépare le plan).

Ce fichier tourne dans l'environnement de Locust (env-charge/), sans Frappe : tout ce qu'il sait du
site vient du plan JSON (CHARGE_PLAN) écrit par charge.py. Chaque utilisateur Locust est un agent du
plan, connecté par /api/method/login puis /app (le bureau, qui donne le jeton CSRF des POST), et fait
ce que fait son navigateur : mêmes méthodes, mêmes paramètres, POST avec le jeton comme frappe.call.

Variables : CHARGE_PLAN (le plan), CHARGE_SORTIE (dossier des fichiers de sortie), CHARGE_MODE
(« charge » : chaque agent tire ses actions selon les poids de son rôle, avec une pause ;
« plancher » : un seul utilisateur, sans pause, qui enchaîne toutes les actions des deux rôles l'une
après l'autre), CHARGE_PAUSE (« 5-15 » : pause en secondes entre deux actions d'un agent).

Sorties, dans CHARGE_SORTIE : mesures-<mode>.tsv (une ligne par requête : action, durée en ms,
erreur) et ecritures-<mode>.txt (le nom de chaque accompagnement dont l'enregistrement a été
acquitté par HTTP 200 avec son nom), relus par charge.py.
"""

import itertools
import json
import os
import random
import re
import string
from datetime import date
from pathlib import Path

from locust import FastHttpUser, events, task
from locust.contrib.fasthttp import FastHttpSession

PLAN = json.loads(Path(os.environ["CHARGE_PLAN"]).read_text())
SORTIE = Path(os.environ["CHARGE_SORTIE"])
MODE = os.environ.get("CHARGE_MODE", "charge")
PAUSE = tuple(float(x) for x in os.environ.get("CHARGE_PAUSE", "5-15").split("-"))
SITE = PLAN["site"]
TS, ACCUEIL = "Travailleur social", "Agent d'accueil"

# Poids des actions, par rôle : une journée de CCAS où chercher une personne et ouvrir son dossier
# dominent. Les noms sont ceux des lignes du tableau de résultats.
RECHERCHE = "recherche (accueil)"
OUVRIR = "ouvrir un dossier (getdoc)"
LIENS = "ouvrir un dossier (liens)"
ENREGISTRER = "enregistrer un accompagnement"
PASSAGE = "noter un passage (accueil)"
LISTE_DOSSIERS = "liste des dossiers"
LISTE_ACCOMPAGNEMENTS = "liste des accompagnements"
COMPTE = "liste : compte"
RAPPELS = "mes rappels (liste)"
ESPACE = "espace de travail (page)"
CARTES = "espace de travail (carte)"
GRAPHIQUES = "espace de travail (graphique)"
RAPPORT = "rapport statistique"
POIDS = {
	TS: {
		RECHERCHE: 25,
		OUVRIR: 25,
		ENREGISTRER: 10,
		LISTE_DOSSIERS: 8,
		LISTE_ACCOMPAGNEMENTS: 8,
		RAPPELS: 10,
		CARTES: 5,
		RAPPORT: 2,
	},
	ACCUEIL: {RECHERCHE: 40, OUVRIR: 25, PASSAGE: 15, LISTE_DOSSIERS: 10, RAPPELS: 5, CARTES: 5},
}
MODES = ("Entretien téléphonique", "Accueil physique sur rendez-vous", "Accueil physique spontané")

_agents = {role: itertools.cycle([a for a in PLAN["agents"] if a["role"] == role]) for role in POIDS}
_tous = itertools.cycle(PLAN["agents"])
_mesures: list[str] = []
_ecritures: list[str] = []
# Until every agent has arrived (spawning_complete), requests are tagged « montée » : charge.py
# shows them apart, the steady state is what the percentiles describe.
_regime = {"etabli": False}


@events.spawning_complete.add_listener
def _tous_arrives(**_kwargs):
	_regime["etabli"] = True


@events.request.add_listener
def _noter(request_type, name, response_time, response_length, exception, **_kwargs):
	erreur = "" if exception is None else re.sub(r"\s+", " ", str(exception))[:200]
	_mesures.append(f"{name}\t{response_time:.2f}\t{erreur}\t{'' if _regime['etabli'] else 'montée'}")


@events.test_stop.add_listener
def _ecrire(**_kwargs):
	SORTIE.mkdir(parents=True, exist_ok=True)
	(SORTIE / f"mesures-{MODE}.tsv").write_text("\n".join(_mesures) + "\n")
	(SORTIE / f"ecritures-{MODE}.txt").write_text("\n".join(_ecritures) + "\n")


def nom_local(doctype: str) -> str:
	"""Le nom provisoire d'un document pas encore enregistré, comme le bureau le fabrique."""
	return f"new-{doctype.lower().replace(' ', '-')}-" + "".join(random.choices(string.ascii_lowercase, k=10))


class Session:
	"""Un agent connecté : sa session HTTP (cookies), son jeton CSRF, sa structure."""

	def __init__(self, client, agent: dict):
		self.client = client
		self.agent = agent
		self.user = agent["user"]
		self.role = agent["role"]
		self.monde = PLAN["structures"][agent["structure"]]
		self.csrf = ""

	def connecter(self) -> None:
		with self.client.post(
			"/api/method/login",
			data={"usr": self.user, "pwd": PLAN["mot_de_passe"]},
			headers={"Host": SITE},
			name="connexion",
			catch_response=True,
		) as r:
			if r.status_code != 200 or "sid=Guest" in (r.headers.get("Set-Cookie") or ""):
				r.failure(f"connexion refusée : {r.status_code} {r.text[:200]}")
				return
		# The desk's boot page gives the CSRF token frappe.call sends with every POST.
		with self.client.get(
			"/app", headers={"Host": SITE}, name="chargement du bureau", catch_response=True
		) as r:
			jeton = re.search(r'csrf_token = "([^"]*)"', r.text or "")
			if r.status_code != 200 or not jeton:
				r.failure(f"bureau : {r.status_code}, pas de jeton CSRF")
				return
			self.csrf = jeton.group(1)

	def _entetes(self) -> dict:
		return {
			"Host": SITE,
			"X-Frappe-CSRF-Token": self.csrf,
			"Accept": "application/json",
			"X-Requested-With": "XMLHttpRequest",
		}

	def appeler(self, action: str, methode: str, /, http: str = "POST", **params):
		"""frappe.call : les paramètres en formulaire (listes et dicts en JSON), la réponse vérifiée."""
		donnees = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
		envoi = {"data": donnees} if http == "POST" else {"params": donnees}
		with self.client.request(
			http,
			f"/api/method/{methode}",
			headers=self._entetes(),
			name=action,
			catch_response=True,
			**envoi,
		) as r:
			try:
				corps = r.json()
			except Exception:
				corps = None
			if r.status_code != 200 or not isinstance(corps, dict) or "exc" in corps or "exc_type" in corps:
				r.failure(f"{r.status_code} {(r.text or '')[:300]}")
				return None
			return corps

	# --- les actions ------------------------------------------------------------------------

	def dossier(self) -> dict:
		return random.choice(self.monde["dossiers"])

	def rechercher(self):
		d = self.dossier()
		texte = random.choice([d["nom_prenom"], d["prenom_nom"], d["date"], d["debut"], d["numero"]])
		return self.appeler(RECHERCHE, "suivi_social.accueil.api.chercher", texte=texte)

	def ouvrir(self):
		d = self.dossier()
		self.appeler(
			OUVRIR, "frappe.desk.form.load.getdoc", http="GET", doctype="Beneficiaire", name=d["name"]
		)
		# The form's « Connexions » counts (Accompagnements, Rappels of the file).
		self.appeler(
			LIENS,
			"frappe.desk.notifications.get_open_count",
			doctype="Beneficiaire",
			name=d["name"],
			items=["Accompagnement", "Rappel"],
		)

	def enregistrer(self):
		d = self.dossier()
		parent = nom_local("Accompagnement")
		doc = {
			"doctype": "Accompagnement",
			"name": parent,
			"__islocal": 1,
			"__unsaved": 1,
			"docstatus": 0,
			"owner": self.user,
			"beneficiaire": d["name"],
			"types_accompagnement": [
				{
					"doctype": "Type Accompagnement Lien",
					"name": nom_local("Type Accompagnement Lien"),
					"__islocal": 1,
					"__unsaved": 1,
					"docstatus": 0,
					"idx": 1,
					"parent": parent,
					"parentfield": "types_accompagnement",
					"parenttype": "Accompagnement",
					"type_accompagnement": random.choice(self.monde["types"]),
				}
			],
			"date": date.today().isoformat(),
			"mode": random.choice(MODES),
			"rendez_vous": 0,
			"agent": self.user,
			"statut": "Terminé",
			"objet": "Point sur la situation (test de charge)",
		}
		corps = self.appeler(ENREGISTRER, "frappe.desk.form.save.savedocs", doc=doc, action="Save")
		nom = ((corps or {}).get("docs") or [{}])[0].get("name")
		if nom and not nom.startswith("new-"):
			_ecritures.append(nom)

	def noter_passage(self):
		d = self.dossier()
		corps = self.appeler(
			PASSAGE,
			"suivi_social.accueil.api.noter_passage",
			beneficiaire=d["name"],
			mode=random.choice(["accueil", "telephone"]),
			note="Passage (test de charge)",
		)
		nom = ((corps or {}).get("message") or {}).get("name")
		if nom:
			_ecritures.append(nom)

	def liste(self, action: str, doctype: str, champs: list[str], filtres: list):
		args = {
			"doctype": doctype,
			"fields": [f"`tab{doctype}`.`{c}`" for c in champs],
			"filters": filtres,
			"order_by": f"`tab{doctype}`.`modified` desc",
			"start": 0,
			"page_length": 20,
			"view": "List",
			"group_by": "",
			"with_comment_count": 1,
		}
		self.appeler(action, "frappe.desk.reportview.get", **args)
		# The list view then asks for its count (up to 1,001: count_upper_bound).
		self.appeler(COMPTE, "frappe.desk.reportview.get_count", doctype=doctype, filters=filtres, limit=1001)

	def liste_dossiers(self):
		self.liste(
			LISTE_DOSSIERS,
			"Beneficiaire",
			["name", "nom_complet", "statut", "structure", "date_naissance", "dernier_contact", "modified"],
			[["Beneficiaire", "statut", "=", "Actif"]],
		)

	def liste_accompagnements(self):
		self.liste(
			LISTE_ACCOMPAGNEMENTS,
			"Accompagnement",
			["name", "beneficiaire", "date", "mode", "statut", "agent", "modified"],
			[
				["Accompagnement", "agent", "=", self.user],
				["Accompagnement", "statut", "in", ["À traiter", "En cours"]],
			],
		)

	def mes_rappels(self):
		periode = random.choice(["du_jour", "en_retard", "de_la_semaine"])
		corps = self.appeler(
			RAPPELS, "suivi_social.dossiers.rappels.filtres_de_mes_rappels", http="GET", periode=periode
		)
		if not corps:
			return
		filtres = [
			["Rappel", champ, *(valeur if isinstance(valeur, list) else ["=", valeur])]
			for champ, valeur in corps["message"].items()
		]
		self.liste(
			RAPPELS,
			"Rappel",
			["name", "titre", "beneficiaire", "date_echeance", "statut", "modified"],
			filtres,
		)

	def espace_de_travail(self):
		"""The workspace page, then its number cards and its charts, one request each, as the desk sends them."""
		self.appeler(
			ESPACE,
			"frappe.desk.desktop.get_desktop_page",
			page={"name": "Suivi social", "title": "Suivi social", "public": 1},
		)
		for carte in PLAN["cartes"][self.role]:
			filtres = [
				[*f[:3], {"utilisateur": self.user, "aujourdhui": date.today().isoformat()}[f[3]]]
				for f in carte["filtres_dynamiques"]
			]
			filtres = carte["filtres"] + filtres
			if carte["methode"]:
				self.appeler(CARTES, carte["methode"], filters=filtres)
			else:
				self.appeler(
					CARTES,
					"frappe.desk.doctype.number_card.number_card.get_result",
					doc=carte["doc"],
					filters=filtres,
				)
		for graphique in PLAN["graphiques"][self.role]:
			self.appeler(
				GRAPHIQUES,
				graphique["methode"],
				chart_name=graphique["nom"],
				filters=graphique["filtres"],
				refresh=0,
			)

	def rapport(self):
		self.appeler(
			RAPPORT,
			"frappe.desk.query_report.run",
			report_name=random.choice(PLAN["rapports"]),
			filters={**PLAN["filtres_rapport"], "structure": self.agent["structure"]},
			ignore_prepared_report=0,
			are_default_filters=True,
		)

	ACTIONS = {
		RECHERCHE: rechercher,
		OUVRIR: ouvrir,
		ENREGISTRER: enregistrer,
		PASSAGE: noter_passage,
		LISTE_DOSSIERS: liste_dossiers,
		LISTE_ACCOMPAGNEMENTS: liste_accompagnements,
		RAPPELS: mes_rappels,
		CARTES: espace_de_travail,
		RAPPORT: rapport,
	}

	def faire(self, action: str) -> None:
		try:
			self.ACTIONS[action](self)
		except Exception as erreur:
			# An exception of this file counts as an error of the action, not as a silent skip.
			events.request.fire(
				request_type="tâche",
				name=action,
				response_time=0,
				response_length=0,
				exception=erreur,
				context={},
			)


class Agent(FastHttpUser):
	"""« charge » : un agent du plan, ses actions tirées selon les poids de son rôle, puis une pause.
	« plancher » : un seul utilisateur, deux sessions (un travailleur social, un agent d'accueil),
	toutes les actions de chacun l'une après l'autre, sans pause."""

	host = "http://127.0.0.1"
	connection_timeout = 30
	network_timeout = 120

	def on_start(self):
		if MODE == "plancher":
			self.sessions = []
			for role in (TS, ACCUEIL):
				client = (
					self.client
					if not self.sessions
					else FastHttpSession(self.host, self.environment.events.request, user=self)
				)
				self.sessions.append(Session(client, next(_agents[role])))
			for s in self.sessions:
				s.connecter()
			self.tour = itertools.cycle([(s, a) for s in self.sessions for a in POIDS[s.role]])
		else:
			self.session = Session(self.client, next(_tous))
			self.session.connecter()

	def wait_time(self):
		return 0 if MODE == "plancher" else random.uniform(*PAUSE)

	@task
	def agir(self):
		if MODE == "plancher":
			session, action = next(self.tour)
		else:
			session = self.session
			poids = POIDS[session.role]
			action = random.choices(list(poids), weights=list(poids.values()))[0]
		session.faire(action)


class AutreCCAS(FastHttpUser):
	"""Avec --sites : un visiteur des autres CCAS du bench (page de connexion de chacun, par son nom),
	pour que nginx et gunicorn servent vraiment plusieurs sites pendant la mesure."""

	host = "http://127.0.0.1"
	fixed_count = int(os.environ.get("CHARGE_VISITEURS", "0"))
	autres = itertools.cycle(PLAN.get("autres_sites") or [SITE])

	def wait_time(self):
		return random.uniform(*PAUSE)

	@task
	def visiter(self):
		self.client.get("/login", headers={"Host": next(self.autres)}, name="autres CCAS : page de connexion")


if not int(os.environ.get("CHARGE_VISITEURS", "0")):
	del AutreCCAS
