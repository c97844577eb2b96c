"""The isolation sweep: every whitelisted method of the site, called as a user of structure A, never
answers with anything of structure B; called as A's Agent d'accueil, never with a confidential
(permlevel ≥ 1) value of A's own files; and no private report reaches anyone but its author.

The path list comes from the site itself (registre.py): every module of the installed apps is
imported, so a new endpoint or DocType is swept without anyone listing it, and fails the suite
until it is registered with the tests that hold its rules.

How a leak is seen: rows of B are planted with a canary (a random word) in their text fields, and
the canary is searched in everything a call hands back: its return value, frappe.response (docs,
docinfo, file contents, PDF sources), the message log, the error, the realtime messages and
e-mails it sends. The names of B's records count as well when the call did not send them.
Each call runs in-process through frappe.handler.execute_cmd (the override hooks, the
before_request hooks and Frappe's own checks all apply, as for an HTTP request), inside a savepoint
rolled back after it; commits inside a method are suspended so that nothing reaches the database."""

import inspect
import json
import os
import re
from dataclasses import dataclass, field
from unittest.mock import patch

import frappe
import pytest
from frappe.model.base_document import get_controller
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from tests.conftest import as_user, rendre_la_requete
from tests.factories import make_accompagnement, make_beneficiaire
from tests.securite import registre

# Arguments the probe knows how to fill, by parameter name.
PARAMS_DOCTYPE = {
	"doctype",
	"dt",
	"doc_type",
	"reference_doctype",
	"ref_doctype",
	"parenttype",
	"link_doctype",
	"document_type",
	"reference_type",
}
PARAMS_NOM = {
	"name",
	"docname",
	"dn",
	"reference_name",
	"ref_docname",
	"document_name",
	"link_name",
	"doc_name",
	"value",
}
PARAMS_TEXTE = {"txt", "text", "query", "search_text", "q", "search_term", "term", "keyword", "texte"}


# A report, a chart and a number card of the app, for the methods that run one.
EXEMPLES = {
	"report_name": "Aides financieres",
	"chart_name": "Accompagnements par type et par mois",
	"card_name": "Aides accordees de l annee",
}


@dataclass
class Canaris:
	"""What was planted: the records of B (and A's confidential ones), and the words to look for."""

	mot: str
	b: str = ""
	confidentiel: str = ""
	prive: str = ""
	cibles_b: dict[str, str] = field(default_factory=dict)
	cibles_a: dict[str, str] = field(default_factory=dict)
	fichier_b: str = ""
	etiquette: str = ""
	plantes: set[str] = field(default_factory=set)

	@property
	def recherche(self) -> str:
		# A prefix of every canary: what a search sends, and what an echo of the request may show.
		return self.mot


def planter(monde) -> Canaris:
	"""Rows of B carrying the canary, in every DocType of the sweep; A's file with confidential
	values; a private report in A written by a colleague. Uncommitted, as Administrator."""
	mot = "canari" + frappe.generate_hash(length=8).lower()
	c = Canaris(mot=mot, b=f"{mot}bb", confidentiel=f"{mot}cc", prive=f"{mot}pp")
	b = c.b
	frappe.db.set_value("Structure", monde.b, "adresse", b)
	c.cibles_b["Structure"] = monde.b

	ben = make_beneficiaire(
		monde.b,
		nom_usage=b,
		prenoms=b,
		email=f"{b}@exemple.fr",
		numero_caf_msa=b,
		informations_complementaires=b,
	)
	ben.adresse = b
	ben.save(ignore_version=False)
	c.cibles_b["Beneficiaire"] = ben.name
	acc = make_accompagnement(ben.name, monde.type_b, monde.ts_b, compte_rendu=f"<p>{b}</p>", motif_refus=b)
	c.cibles_b["Accompagnement"] = acc.name
	for doc in (
		{
			"doctype": "Rappel",
			"titre": b,
			"note": b,
			"date_echeance": "2026-12-02",
			"assigne_a": monde.ts_b,
			"structure": monde.b,
			"beneficiaire": ben.name,
		},
		{"doctype": "Type Accompagnement", "nom": b, "structure": monde.b, "categorie": "Facultatif"},
		{"doctype": "Reaffectation", "structure": monde.b, "agent": b},
		{"doctype": "Effacement RGPD", "structure": monde.b, "reference": b, "effectue_par": monde.resp_b},
		{"doctype": "Modele Import", "structure": monde.b, "cle_entetes": b, "correspondance": "{}"},
		{"doctype": "Ligne Importee", "structure": monde.b, "empreinte": b},
		{"doctype": "Correspondance Referent", "structure": monde.b, "code": b, "utilisateur": monde.ts_b},
		{
			"doctype": "Absence",
			"structure": monde.b,
			"agent": monde.ts_b,
			"remplacant": monde.resp_b,
			"du": "2026-12-01",
			"au": "2026-12-03",
		},
		{
			"doctype": "ToDo",
			"allocated_to": monde.ts_b,
			"description": b,
			"reference_type": "Beneficiaire",
			"reference_name": ben.name,
		},
		{
			"doctype": "Notification Log",
			"for_user": monde.ts_b,
			"subject": b,
			"email_content": b,
			"document_type": "Beneficiaire",
			"document_name": ben.name,
		},
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"subject": b,
			"content": b,
			"reference_doctype": "Beneficiaire",
			"reference_name": ben.name,
		},
		# Frappe's address book, linked to B's file (its permission follows the link).
		{
			"doctype": "Contact",
			"first_name": "Témoin",
			"company_name": b,
			"email_ids": [{"email_id": f"{b}@exemple.fr", "is_primary": 1}],
			"links": [{"link_doctype": "Beneficiaire", "link_name": ben.name}],
		},
		{
			"doctype": "Address",
			"address_title": "Témoin",
			"address_line1": b,
			"city": "Lyon",
			"country": "France",
			"links": [{"link_doctype": "Beneficiaire", "link_name": ben.name}],
		},
	):
		c.cibles_b[doc["doctype"]] = frappe.get_doc(doc).insert(ignore_permissions=True).name
	with as_user(monde.ts_b):
		# A private note of B's agent (a public Note is, by Frappe's design, read by every user).
		c.cibles_b["Note"] = (
			frappe.get_doc({"doctype": "Note", "title": b, "content": b, "public": 0}).insert().name
		)
		evenement = {"doctype": "Event", "subject": b, "description": b, "starts_on": "2026-12-02 10:00:00"}
		c.cibles_b["Event"] = frappe.get_doc({**evenement, "event_type": "Private"}).insert().name
		c.cibles_b["Compte Rendu Prive"] = (
			frappe.get_doc({"doctype": "Compte Rendu Prive", "accompagnement": acc.name, "texte": b})
			.insert()
			.name
		)
	fichier = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{b}.txt",
			"content": b.encode(),
			"attached_to_doctype": "Beneficiaire",
			"attached_to_name": ben.name,
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	c.cibles_b["File"], c.fichier_b = fichier.name, fichier.file_url
	c.cibles_b["Comment"] = ben.add_comment("Comment", b).name
	# A tag of B's agent on the file: its word is B's (it is a name here, not the canary, so that
	# calls naming it may echo it), its Tag Link row carries the file's title (the canary).
	c.etiquette = f"{mot}tt"
	ben.add_tag(c.etiquette)
	c.cibles_b["Tag"] = c.etiquette
	c.cibles_b["Tag Link"] = frappe.db.get_value("Tag Link", {"document_name": ben.name, "tag": c.etiquette})
	# B's agent follows the file: who follows it is B's too (seen by the existence probe).
	frappe.get_doc(
		{
			"doctype": "Document Follow",
			"ref_doctype": "Beneficiaire",
			"ref_docname": ben.name,
			"user": monde.ts_b,
		}
	).insert(ignore_permissions=True)
	c.cibles_b["Version"] = frappe.db.get_value(
		"Version", {"ref_doctype": "Beneficiaire", "docname": ben.name}
	)

	# A's own file, with confidential values (and their history) the Agent d'accueil may not read.
	conf = c.confidentiel
	ben_a = make_beneficiaire(monde.a, nom_usage="Confidentiel", prenoms="Balayage", numero_caf_msa=conf)
	ben_a.medecin_traitant, ben_a.sante_informations, ben_a.mandataire = conf, conf, conf
	ben_a.save(ignore_version=False)
	acc_a = make_accompagnement(ben_a.name, monde.aide_a, monde.ts_a, montant_demande=123)
	acc_a.compte_rendu, acc_a.motif_refus = f"<p>{conf}</p>", conf
	acc_a.save(ignore_version=False)
	c.cibles_a = {"Beneficiaire": ben_a.name, "Accompagnement": acc_a.name}
	# A private report in A, by a colleague who delegated it to nobody.
	with as_user(monde.ts_a2):
		c.cibles_a["Compte Rendu Prive"] = (
			frappe.get_doc({"doctype": "Compte Rendu Prive", "accompagnement": acc_a.name, "texte": c.prive})
			.insert()
			.name
		)
	c.plantes = set(c.cibles_b)
	return c


# --- One call, as the desk or a REST client would make it ---------------------------------------


@dataclass
class Appel:
	chemin: str
	utilisateur: str
	arguments: dict
	texte: str = ""
	donnees: str = ""
	erreur: str = ""
	exerce: bool = True
	# The return value alone, for the existence probe.
	valeur: str = ""


def en_texte(valeur) -> str:
	def defaut(objet):
		if isinstance(objet, frappe.model.document.BaseDocument):
			return objet.as_dict(no_nulls=True)
		if isinstance(objet, bytes | bytearray):
			return objet.decode("utf-8", "replace")
		if isinstance(objet, Response):
			return objet.get_data(as_text=True)
		if isinstance(objet, set | tuple):
			return list(objet)
		return str(objet)

	try:
		return json.dumps(valeur, default=defaut, ensure_ascii=False)
	except Exception:
		return repr(valeur)


class TransactionValidee(Exception):
	pass


class Sonde:
	"""Calls whitelisted methods in-process, with the site's request pipeline, and records what each
	call hands back through any channel."""

	def __init__(self):
		self.sortants: list = []

	def __enter__(self):
		self.requete_avant = getattr(frappe.local, "request", None)
		capture = lambda *args, **kwargs: self.sortants.append((args, kwargs))  # noqa: E731
		pdf_html = lambda html, *args, **kwargs: html.encode()  # noqa: E731
		self.patches = [
			# Nothing a method commits reaches the database: the savepoint is rolled back after it.
			patch.object(frappe.db, "commit", lambda *a, **k: None),
			patch.object(
				frappe.db,
				"rollback",
				lambda *a, save_point=None, **k: frappe.db.sql(
					f"rollback to savepoint {save_point or 'balayage'}"
				),
			),
			# What leaves the process is looked at too: realtime messages, e-mails, background jobs.
			patch("frappe.publish_realtime", capture),
			patch("frappe.realtime.publish_realtime", capture),
			patch("frappe.sendmail", capture),
			patch("frappe.enqueue", capture),
			patch("frappe.utils.background_jobs.enqueue", capture),
			# A PDF's text is compressed: the HTML it is made from is read instead (and faster).
			patch("frappe.utils.pdf.get_pdf", pdf_html),
			patch("frappe.utils.print_format.get_pdf", pdf_html),
		]
		for p in self.patches:
			p.start()
		return self

	def __exit__(self, *exc):
		for p in reversed(self.patches):
			p.stop()
		# As before the sweep: a later test's code checks hasattr(frappe.local, "request").
		rendre_la_requete(self.requete_avant)
		frappe.local.form_dict = frappe._dict()
		frappe.local.response = frappe._dict({"docs": []})

	def appeler(self, chemin: str, fn, utilisateur: str, arguments: dict) -> Appel:
		from frappe.handler import execute_cmd

		from suivi_social.frappe_fixes import ParametreInvalide

		methodes = frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["POST"]
		verbe = "GET" if "GET" in methodes else methodes[0]
		frappe.set_user(utilisateur)
		frappe.local.request = Request(
			EnvironBuilder(method=verbe, path=f"/api/method/{chemin}").get_environ()
		)
		frappe.local.request_ip = "127.0.0.1"
		envoyes = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in arguments.items()}
		frappe.local.form_dict = frappe._dict(cmd=chemin, **envoyes)
		frappe.local.response = frappe._dict({"docs": []})
		frappe.local.message_log = []
		self.sortants.clear()
		appel = Appel(chemin, utilisateur, arguments)
		frappe.db.savepoint("balayage")
		retour = None
		# As in a real request: frappe.only_for() and other role checks do nothing in tests.
		frappe.flags.in_test = False
		try:
			for tache in frappe.get_hooks("before_request"):
				frappe.call(tache)
			retour = execute_cmd(chemin)
		except ParametreInvalide as error:
			appel.exerce, appel.erreur = False, str(error)
		except Exception as error:
			appel.erreur = f"{type(error).__name__}: {error}"
		finally:
			frappe.flags.in_test = True
			frappe.set_user("Administrator")
			try:
				frappe.db.sql("rollback to savepoint balayage")
			except Exception as error:
				# A commit reached the database (a DDL statement commits implicitly): stop the sweep.
				raise TransactionValidee(f"{chemin} {arguments} a validé la transaction") from error
		appel.valeur = en_texte(retour).lower()
		appel.donnees = en_texte([retour, dict(frappe.local.response), self.sortants]).lower()
		appel.texte = appel.donnees + en_texte([frappe.local.message_log, appel.erreur]).lower()
		return appel


# --- Which arguments each method gets ------------------------------------------------------------


def parametres(fn) -> dict[str, inspect.Parameter]:
	return {
		nom: p
		for nom, p in inspect.signature(fn).parameters.items()
		if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and nom != "self"
	}


def variantes(fn, canaris: Canaris, cibles: dict[str, str], structure: str, autrui: str) -> list[dict]:
	"""Plausible calls: for a method that takes a DocType, one per planted DocType, naming its
	record (and, when a name is optional, once more without it); otherwise one call. A method that
	takes a user is asked about `autrui`, the author of the planted records."""
	params = parametres(fn)
	communs = {}
	for nom in params:
		if nom in PARAMS_TEXTE:
			communs[nom] = canaris.recherche
		elif nom == "searchfield":
			communs[nom] = "name"
		elif nom == "filters":
			communs[nom] = {}
		elif nom in ("fields", "fieldname"):
			communs[nom] = ["*"]
		elif nom in ("current_filters", "stats"):
			communs[nom] = [] if nom == "current_filters" else ["_assign", "_user_tags", "owner"]
		elif nom in ("field", "group_by"):
			communs[nom] = "assigned_to" if nom == "field" else "owner"
		elif nom in ("report_name", "chart_name", "card_name"):
			communs[nom] = EXEMPLES[nom]
		elif nom in ("file_url", "url"):
			communs[nom] = canaris.fichier_b
		elif nom in ("start", "page_length", "limit", "page_len") and params[nom].annotation is int:
			communs[nom] = 0 if nom == "start" else 100
		elif nom == "field_map":
			communs[nom] = {"start": "creation", "end": "modified", "id": "name", "title": "name"}
		elif nom in ("start", "from_date", "start_date"):
			communs[nom] = "2000-01-01"
		elif nom in ("end", "to_date", "end_date"):
			communs[nom] = "2100-12-31"
		elif nom == "structure":
			communs[nom] = structure
		elif nom == "user":
			communs[nom] = autrui
		elif nom == "tag":
			communs[nom] = canaris.etiquette
		elif nom == "workflow_state_field":
			communs[nom] = "name"  # a count grouped by name lists the names
		elif nom == "states":
			communs[nom] = []
		elif nom in ("beneficiaire", "accompagnement", "rappel"):
			if cible := cibles.get(nom.title() if nom != "rappel" else "Rappel"):
				communs[nom] = cible
	if not PARAMS_DOCTYPE.intersection(params) and "doc" in params:
		# A document sent whole (printview, the form's save): each planted record, by its name.
		noms = [p for p in params if p in PARAMS_NOM]
		return [
			{**communs, "doc": {"doctype": doctype, "name": nom}, **{p: nom for p in noms}}
			for doctype, nom in cibles.items()
		]
	if not PARAMS_DOCTYPE.intersection(params):
		return [communs]
	param_doctype = next(p for p in params if p in PARAMS_DOCTYPE)
	noms = [p for p in params if p in PARAMS_NOM]
	nom_requis = any(params[p].default is inspect.Parameter.empty for p in noms)
	resultat = []
	for doctype, nom in cibles.items():
		cible = {**communs, param_doctype: doctype}
		nomme = {**cible, **{p: nom for p in noms}}
		if "filters" in params:
			nomme["filters"] = {"name": nom}
		if "doc" in params:
			nomme["doc"] = {"doctype": doctype, "name": nom}
		if "names" in params or "docnames" in params:
			nomme["names" if "names" in params else "docnames"] = [nom]
		resultat.append(nomme)
		if not nom_requis and nomme != cible:
			resultat.append(cible)
	return resultat


def secrets_interdits(appel: Appel, mots: list[str], noms: set[str]) -> list[str]:
	"""The canaries, anywhere; B's record names, in the data handed back when the call did not send
	them. (A refusal's message may name the record a File is attached to: Frappe's « does not have
	access to this document: Beneficiaire - TB-00004 », an opaque number, no personal data.)"""
	envoye = en_texte(appel.arguments).lower()
	return [m for m in mots if m in appel.texte] + [
		n for n in noms if n.lower() not in envoye and n.lower() in appel.donnees
	]


# --- The sweep, once per run -----------------------------------------------------------------------


@dataclass
class Resultat:
	methodes: dict
	echecs_import: list
	canaris: Canaris | None = None
	appels: list[Appel] = field(default_factory=list)
	fuites: list[str] = field(default_factory=list)
	fuites_accueil: list[str] = field(default_factory=list)
	fuites_prive: list[str] = field(default_factory=list)
	existences: list[str] = field(default_factory=list)
	comparaisons: int = 0
	temoins: dict[str, bool] = field(default_factory=dict)


def methodes_sondees(methodes: dict) -> dict:
	return {
		chemin: fn
		for chemin, fn in methodes.items()
		if not registre.est_une_methode_de_controleur(chemin) and chemin not in registre.NON_APPELEES
	}


@dataclass
class Parcours:
	"""One user of A, the records the calls name, and what must never reach them."""

	utilisateur: str
	cibles: dict[str, str]
	structure: str
	autrui: str  # the author of those records, for the methods that take a user
	noms: set[str]  # names the data handed back may not carry unless the call sent them
	fuites: list[str]  # where a leak is written down
	# {name or word sent: what is sent instead}, for the existence probe (none: not probed).
	absents: dict[str, str] = field(default_factory=dict)


def parcours(monde, c: Canaris, resultat: Resultat) -> list[Parcours]:
	# B's record names must not appear unless the call sent them; the structure's and the users'
	# names are not secret (they also name A's colleagues' structure in the header).
	noms_b = {n for d, n in c.cibles_b.items() if d != "Structure"}
	prive = c.cibles_a["Compte Rendu Prive"]

	def absents(noms) -> dict[str, str]:
		# The search word last: a Tag's name contains it.
		return {**{n: f"{n}-absent" for n in sorted(noms, key=len, reverse=True)}, c.mot: "zqxabsent"}

	return [
		# The Responsable of A (the widest rights in A) against B's records.
		Parcours(monde.resp_a, c.cibles_b, monde.b, monde.ts_b, noms_b, resultat.fuites, absents(noms_b)),
		# The Agent d'accueil against A's own confidential values (the structure criterion is the
		# same for every role; noter() looks for the confidential canary in their answers).
		Parcours(monde.acc_a, c.cibles_a, monde.a, monde.ts_a2, noms_b | {prive}, resultat.fuites),
		# A Travailleur social of A, who reads the file and the accompaniment, against the private
		# report a colleague wrote on it (neither its author nor its delegate).
		Parcours(
			monde.ts_a,
			c.cibles_a,
			monde.a,
			monde.ts_a2,
			noms_b | {prive},
			resultat.fuites_prive,
			{prive: f"{prive}-absent"},
		),
	]


def balayer(monde, resultat: Resultat) -> Resultat:
	resultat.echecs_import = registre.importer_les_modules()
	resultat.methodes = methodes = registre.methodes_du_site()
	with patch("frappe.sendmail"):  # the Notification Log's e-mail: the site has no mail account
		c = resultat.canaris = planter(monde)
	controleurs = {
		chemin: fn for chemin, fn in methodes.items() if registre.est_une_methode_de_controleur(chemin)
	}
	with Sonde() as sonde:
		resultat.temoins = temoins(sonde, c, monde)
		for p in parcours(monde, c, resultat):
			for chemin, fn in methodes_sondees(methodes).items():
				for arguments in variantes(fn, c, p.cibles, p.structure, p.autrui):
					appel = sonde.appeler(chemin, fn, p.utilisateur, arguments)
					noter(resultat, appel, c, p, monde)
					comparer_a_l_absence(resultat, sonde, appel, fn, p)
			# Controller methods, through run_doc_method on each planted record.
			for chemin, fn in controleurs.items():
				methode = chemin.rsplit(".", 1)[1]
				for doctype, nom in p.cibles.items():
					classe = get_controller(doctype)
					if (
						getattr(getattr(classe, methode, None), "__func__", getattr(classe, methode, None))
						is not fn
					):
						continue
					arguments = {"dt": doctype, "dn": nom, "method": methode}
					appel = sonde.appeler(
						"run_doc_method", frappe.handler.run_doc_method, p.utilisateur, arguments
					)
					appel.chemin = chemin
					noter(resultat, appel, c, p, monde)
	frappe.db.rollback()
	if journal := os.environ.get("SUIVI_BALAYAGE_JOURNAL"):
		# What each call did, for whoever registers a new method (README of tests/securite).
		with open(journal, "w") as f:
			for a in resultat.appels:
				f.write(f"{a.chemin}\t{a.utilisateur}\t{int(a.exerce)}\t{a.arguments}\t{a.erreur[:300]!r}\n")
			f.write(f"# {resultat.comparaisons} appels refaits sur un enregistrement absent\n")
	return resultat


def noter(resultat: Resultat, appel: Appel, c: Canaris, p: Parcours, monde) -> None:
	resultat.appels.append(appel)
	if fuite := secrets_interdits(appel, [c.b, c.prive], p.noms):
		p.fuites.append(f"{appel.chemin} {appel.utilisateur} {appel.arguments} → {fuite}")
	if p.utilisateur == monde.acc_a and c.confidentiel in appel.texte:
		resultat.fuites_accueil.append(f"{appel.chemin} {appel.arguments}")


# Answers that say nothing: not compared (the same call about a missing record answers the same).
VIDES = {"null", "[]", "{}", "0", "false", '""', "[[]]", '{"name": null}'}


def remplacer(valeur, absents: dict[str, str]):
	"""The arguments with each planted name (and the search word) replaced by one that exists nowhere."""
	if isinstance(valeur, str):
		for nom, absent in absents.items():
			valeur = valeur.replace(nom, absent)
		return valeur
	if isinstance(valeur, dict):
		return {k: remplacer(v, absents) for k, v in valeur.items()}
	if isinstance(valeur, list):
		return [remplacer(v, absents) for v in valeur]
	return valeur


# What differs between two calls whatever they name: the dates and the random names (Frappe's
# 10-character hashes) of what a call creates. A hash of B's that leaks is seen by noter().
BRUIT = re.compile(r"\d{4}-\d\d-\d\d[ t]\d\d:\d\d:\d\d(\.\d+)?|\b[0-9a-z]{10}\b")


def sans_les_noms(texte: str, noms) -> str:
	for nom in sorted(noms, key=len, reverse=True):
		texte = texte.replace(nom.lower(), "‹nom›")
	return BRUIT.sub("‹›", texte)


def comparer_a_l_absence(resultat: Resultat, sonde: Sonde, appel: Appel, fn, p: Parcours) -> None:
	"""A canary shows a leaked value, not a leaked count or existence: get_count answering 1, or
	validate_link answering the name, for a record of B. So each call that named a planted record (or
	searched the canary) and answered something is made again about a record that exists nowhere;
	both answers must be the same, names aside. A refusal may still differ from « not found » (HTTP
	403 and 404, as on every path of Frappe): only two answers are compared."""
	if not p.absents or not appel.exerce or appel.erreur or appel.valeur in VIDES:
		return
	envoye = en_texte(appel.arguments)
	if not any(nom in envoye for nom in p.absents):
		return
	absent = sonde.appeler(appel.chemin, fn, p.utilisateur, remplacer(appel.arguments, p.absents))
	resultat.comparaisons += 1
	if absent.erreur:
		return
	vu = sans_les_noms(appel.valeur, p.absents)
	attendu = sans_les_noms(absent.valeur, [remplacer(nom, p.absents) for nom in p.absents])
	if vu != attendu:
		resultat.existences.append(
			f"{appel.chemin} {appel.utilisateur} {appel.arguments}: {appel.valeur[:200]} ≠ {absent.valeur[:200]}"
		)


def temoins(sonde: Sonde, c: Canaris, monde) -> dict[str, bool]:
	"""The canaries are where the probe looks: their own readers find them through the same calls,
	so a silent sweep means no leak, not a blind probe."""
	from frappe.desk.form.load import getdoc

	vus = {}
	for doctype, nom in c.cibles_b.items():
		if doctype in ("Version", "Comment", "Structure"):
			continue  # read through their record's form (docinfo), below
		appel = sonde.appeler(
			"frappe.client.get", frappe.client.get, "Administrator", {"doctype": doctype, "name": nom}
		)
		# The Absence has no free text, the Tag is its word: their name is what would leak.
		vus[doctype] = (c.b if doctype not in ("Absence", "Tag") else nom.lower()) in appel.texte
	appel = sonde.appeler(
		"frappe.desk.form.load.getdoc",
		getdoc,
		monde.ts_b,
		{"doctype": "Beneficiaire", "name": c.cibles_b["Beneficiaire"]},
	)
	vus["Version et commentaire (docinfo)"] = appel.texte.count(c.b) > 10 and "comment" in appel.texte
	for doctype, nom in c.cibles_a.items():
		lecteur = monde.ts_a2 if doctype == "Compte Rendu Prive" else monde.ts_a
		appel = sonde.appeler(
			"frappe.desk.form.load.getdoc", getdoc, lecteur, {"doctype": doctype, "name": nom}
		)
		vus[f"{doctype} (A)"] = (
			c.prive if doctype == "Compte Rendu Prive" else c.confidentiel
		) in appel.texte
	return vus


def effacer(c: Canaris, monde) -> None:
	"""After a method committed despite the sweep (TransactionValidee): remove what was planted."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for doctype, nom in [*reversed(c.cibles_b.items()), *reversed(c.cibles_a.items())]:
		if doctype == "Structure":
			frappe.db.set_value("Structure", nom, "adresse", None)
		elif doctype == "Beneficiaire":
			for acc in frappe.get_all("Accompagnement", {"beneficiaire": nom}, pluck="name"):
				for crp in frappe.get_all("Compte Rendu Prive", {"accompagnement": acc}, pluck="name"):
					frappe.delete_doc("Compte Rendu Prive", crp, force=True, delete_permanently=True)
				frappe.delete_doc("Accompagnement", acc, force=True, delete_permanently=True)
		if doctype != "Structure" and nom and frappe.db.exists(doctype, nom):
			frappe.delete_doc(doctype, nom, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.delete("Version", {"data": ("like", f"%{c.mot}%")})
	frappe.db.commit()


@pytest.fixture(scope="module")
def balayage(_monde):
	resultat = Resultat({}, [])
	try:
		yield balayer(_monde, resultat)
	except TransactionValidee:
		effacer(resultat.canaris, _monde)
		raise
	finally:
		frappe.db.rollback()
		frappe.set_user("Administrator")


# --- The registry covers the whole site ------------------------------------------------------------


def test_tous_les_modules_s_importent(balayage):
	"""A module that fails to import hides its whitelisted methods from the sweep."""
	assert not balayage.echecs_import


def test_chaque_methode_de_l_application_a_ses_tests(balayage):
	app = [c for c in balayage.methodes if c.startswith("suivi_social.")]
	sans_test = [
		c for c in app if not registre.tests_de_la_methode_app(c) and c not in registre.ARGUMENTS_INCONNUS
	]
	assert not sans_test, (
		"Méthodes de l'application sans test enregistré (registre.METHODES_APP) : " + ", ".join(sans_test)
	)
	disparues = [c for c in registre.METHODES_APP if c not in balayage.methodes]
	assert not disparues, f"Méthodes enregistrées qui n'existent plus : {disparues}"
	references = {r for c in app for r in registre.tests_de_la_methode_app(c) or ()}
	absents = [r for r in references if not registre.tests_existants(r)]
	assert not absents, f"Tests enregistrés introuvables : {absents}"


def test_chaque_methode_de_frappe_est_classee(balayage):
	familles = registre.familles_frappe()
	frappe_ = [c for c in balayage.methodes if not c.startswith("suivi_social.")]
	inconnues = sorted(c for c in frappe_ if c not in familles)
	assert not inconnues, "Méthodes de Frappe à classer dans methodes_frappe.txt : " + ", ".join(inconnues)
	disparues = sorted(c for c in familles if c not in balayage.methodes)
	assert not disparues, f"Méthodes de methodes_frappe.txt qui n'existent plus : {disparues}"


def test_les_methodes_non_appelees_ont_une_raison(balayage):
	for chemin in registre.ARGUMENTS_INCONNUS:
		assert chemin in balayage.methodes, f"{chemin} n'existe plus : retirez-le de ARGUMENTS_INCONNUS"
	for chemin, raison in registre.NON_APPELEES.items():
		assert chemin in balayage.methodes, chemin
		assert len(raison) > 20, chemin


def test_chaque_methode_est_exercee_ou_justifiee(balayage):
	"""A method whose arguments the probe could not guess is reached by no call: it needs a
	registered reason, or the tests that cover it (for the app's)."""
	exercees = {a.chemin for a in balayage.appels if a.exerce}

	def propres(chemin: str) -> set[str]:
		return set(registre.tests_de_la_methode_app(chemin) or ()) - {
			registre.SONDE,
			registre.SONDE_ACCUEIL,
			registre.SONDE_EXISTENCE,
			registre.SONDE_PRIVE,
		}

	non_exercees = sorted(
		c
		for c in methodes_sondees(balayage.methodes)
		if c not in exercees and c not in registre.ARGUMENTS_INCONNUS and not propres(c)
	)
	assert not non_exercees, "Méthodes jamais exercées par la sonde, sans raison enregistrée : " + ", ".join(
		non_exercees
	)


def test_chaque_doctype_de_structure_a_son_canari(balayage, monde):
	"""Every DocType that carries a structure, or has a permission hook, gets a planted row of B
	(or a registered reason): the sweep fails on a new one."""
	avec_structure = set(
		frappe.get_all("DocField", {"fieldname": "structure", "parenttype": "DocType"}, pluck="parent")
	)
	avec_structure |= set(frappe.get_all("Custom Field", {"fieldname": "structure"}, pluck="dt"))
	avec_crochet = set(frappe.get_hooks("permission_query_conditions")) | set(
		frappe.get_hooks("has_permission")
	)
	non_couverts = sorted(
		d
		for d in avec_structure | avec_crochet
		if d not in balayage.canaris.plantes and d not in registre.SANS_CANARI
	)
	assert (
		not non_couverts
	), f"DocTypes sans ligne témoin de B ni raison (registre.SANS_CANARI) : {non_couverts}"
	# A reason that names a test names one that exists.
	for raison in [*registre.SANS_CANARI.values(), *registre.ARGUMENTS_INCONNUS.values()]:
		for reference in re.findall(r"tests/[\w/]+\.py::\w+", raison):
			assert registre.tests_existants(reference), reference
	# « No role of the app reads it »: checked, not trusted.
	for doctype, raison in registre.SANS_CANARI.items():
		if raison.startswith("aucun rôle de l'application ne lit"):
			for user in (monde.resp_a, monde.ts_a, monde.acc_a):
				with as_user(user):
					assert not frappe.has_permission(doctype, "read"), (doctype, user)


def test_chaque_liste_filtree_a_sa_verification_de_document():
	"""A DocType whose lists are filtered (permission_query_conditions) but whose documents are not
	checked (has_permission) is opened by name through getdoc, frappe.client.get, /api/resource:
	Frappe's Notification Log was (permissions/notifications.py)."""
	listes = set(frappe.get_hooks("permission_query_conditions"))
	documents = set(frappe.get_hooks("has_permission"))
	sans_controle = sorted(listes - documents - set(registre.LISTE_SANS_CONTROLE_DE_DOCUMENT))
	assert not sans_controle, f"Listes filtrées sans contrôle du document : {sans_controle}"


# --- Nothing leaks --------------------------------------------------------------------------------


def test_aucune_donnee_de_b_pour_a(balayage):
	assert len(balayage.appels) > 1000
	assert not balayage.fuites, "Fuites vers la structure A :\n" + "\n".join(balayage.fuites[:40])


def test_aucun_champ_confidentiel_pour_l_accueil(balayage):
	assert not balayage.fuites_accueil, "Champs confidentiels lus par l'accueil :\n" + "\n".join(
		balayage.fuites_accueil[:40]
	)


def test_la_sonde_voit_ce_qu_elle_cherche(balayage):
	"""Each canary is found by its own readers through the same probe (temoins)."""
	aveugles = [k for k, vu in balayage.temoins.items() if not vu]
	assert balayage.temoins and not aveugles, f"Canaris introuvables même pour leurs lecteurs : {aveugles}"


def test_ni_compte_ni_existence_de_b(balayage):
	"""Every call that named a record of B (or searched B's canary) and answered, answers the same
	about a record that exists nowhere: no count, no « exists », no follower (comparer_a_l_absence)."""
	assert balayage.comparaisons > 100
	assert not balayage.existences, "Réponses qui trahissent un enregistrement de B :\n" + "\n".join(
		balayage.existences[:40]
	)


def test_aucun_compte_rendu_prive_d_un_collegue(balayage):
	"""A Travailleur social of A reads the file and the accompaniment, never the private report a
	colleague wrote on it: not its text, not its name, by any method of the site."""
	assert not balayage.fuites_prive, "Compte rendu privé lu par un collègue :\n" + "\n".join(
		balayage.fuites_prive[:40]
	)
