"""Traceability: every change kept without exposing what a role may not read, every opening and
download logged, the logs read by the Responsable of the structure only, protected, and kept for
a configurable time (issue 10 §2).

The confidential fields are read from each DocType's meta (every field of permission level ≥ 1,
a Responsable's custom field included), never listed here: a field added later is covered."""

import json
from unittest.mock import patch

import frappe
import pytest
from frappe.desk import reportview
from frappe.utils import add_days, now_datetime
from werkzeug.test import Client

from suivi_social.roles import AGENT_ACCUEIL
from tests.conftest import TEST_SITE, as_user
from tests.factories import jeton_api, make_accompagnement, make_beneficiaire, make_user, nir
from tests.securite.test_fichiers import compte_rendu, pieces_commitees, rappel
from tests.securite.test_http import cles, get
from tests.securite.test_journal_exports import entrees
from tests.securite.test_outils_responsable import (
	PREFIXE,
	ajouter_champ,
	champs_de_test,
	personnaliser,
)
from tests.securite.test_rapports import admin_suivi

MARQUE = "tracemarq"
# Every numeric confidential field gets this value (an amount granted may not exceed the one asked).
NOMBRE = 98765.25
DATE = "2026-03-17"
MISE_EN_PAGE = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold")
# Confidential fields whose value the controller checks: a valid one (still never shown).
VALEURS_VALIDES = {("Beneficiaire", "numero_securite_sociale"): nir("2600575123456")}
# Level-0 values that make the confidential ones valid (an aid granted may be paid).
CONTEXTE = {
	"Accompagnement": {"decision": "Accordée", "date_decision": "2026-02-01"},
}


# --- Values for every confidential field, read from the meta -----------------------------------------


def valeur_temoin(df):
	"""A recognisable value for a field, by its type; None for a type this test cannot fill."""
	if df.fieldtype in ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Code"):
		return f"{MARQUE}-{df.fieldname}"
	if df.fieldtype == "Select":
		options = [o for o in (df.options or "").split("\n") if o]
		return options[-1] if options else None
	if df.fieldtype in ("Currency", "Float", "Percent"):
		return NOMBRE
	if df.fieldtype == "Int":
		return int(NOMBRE)
	if df.fieldtype == "Date":
		return DATE
	if df.fieldtype == "Check":
		return 1
	return None


def champs_confidentiels(doctype: str) -> list:
	"""Every data field of level ≥ 1 of the DocType (tables included)."""
	return [
		df
		for df in frappe.get_meta(doctype).fields
		if (df.permlevel or 0) >= 1 and df.fieldtype not in MISE_EN_PAGE
	]


def remplir_les_champs_confidentiels(doc) -> dict[str, str]:
	"""Set every confidential field (and a row in every confidential table); returns, per field, the
	text that must never reach a reader without that level."""
	traces, non_couverts = {}, []
	for df in champs_confidentiels(doc.doctype):
		if df.fieldtype in frappe.model.table_fields:
			row = {}
			for child in frappe.get_meta(df.options).fields:
				if child.fieldtype not in MISE_EN_PAGE and (valeur := valeur_temoin(child)) is not None:
					row[child.fieldname] = valeur
			doc.append(df.fieldname, row)
			traces[df.fieldname] = f"{MARQUE}-"
			continue
		valeur = VALEURS_VALIDES.get((doc.doctype, df.fieldname)) or valeur_temoin(df)
		if valeur is None:
			non_couverts.append(f"{df.fieldname} ({df.fieldtype})")
			continue
		doc.set(df.fieldname, valeur)
		traces[df.fieldname] = str(valeur) if df.fieldtype not in ("Select", "Check") else df.fieldname
	assert not non_couverts, f"Donner une valeur témoin à ces champs confidentiels : {non_couverts}"
	return traces


def appeler(cmd: str, **params):
	"""A whitelisted method as the desk calls it: through override_whitelisted_methods, as
	frappe.handler.execute_cmd resolves it (which needs an HTTP request)."""
	for hook in reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])):
		cmd = hook
		break
	frappe.local.form_dict = frappe._dict(params)
	return frappe.call(frappe.get_attr(cmd), **params)


def ouvrir(doctype: str, name: str) -> frappe._dict:
	"""The form's load: the document and its docinfo (history, timeline, views)."""
	frappe.local.response = frappe._dict(docs=[])
	appeler("frappe.desk.form.load.getdoc", doctype=doctype, name=name)
	return frappe.response


def historique(doctype: str, name: str) -> tuple[list[dict], str]:
	"""The Versions of the form's docinfo (parsed), and the whole docinfo as text (timeline too)."""
	reponse = ouvrir(doctype, name)
	versions = [json.loads(v.data) for v in reponse.docinfo.versions]
	# get_docinfo alone (the form's « reload docinfo ») answers the same.
	appeler("frappe.desk.form.load.get_docinfo", doctype=doctype, name=name)
	texte = json.dumps(reponse.docinfo, default=str) + json.dumps(frappe.response.docinfo, default=str)
	return versions, texte


def champs_de_l_historique(versions: list[dict]) -> set[str]:
	"""Fieldnames (and table names) the history shows a change of."""
	noms = set()
	for data in versions:
		noms.update(c[0] for c in data.get("changed", []))
		noms.update(r[0] for key in ("added", "removed") for r in data.get(key, []))
		noms.update(r[0] for r in data.get("row_changed", []))
	return noms


@pytest.fixture
def lecteur_sans_confidentiel(monde, admin_suivi):  # noqa: F811
	"""Users who open the file without the confidential level: the Agent d'accueil and the
	platform's Administrateur Suivi social."""
	return (monde.acc_a, admin_suivi)


def verifier_historique_masque(doctype, name, traces, lecteurs, auteur, visibles=()):
	# The author reads the whole history: every confidential change was kept.
	with as_user(auteur):
		versions, _texte = historique(doctype, name)
	assert set(traces) <= champs_de_l_historique(versions)
	for lecteur in lecteurs:
		with as_user(lecteur):
			versions, texte = historique(doctype, name)
		assert versions, f"{lecteur} : l'historique lisible a disparu"
		montres = champs_de_l_historique(versions)
		assert not montres & set(traces), (lecteur, montres & set(traces))
		for fieldname, trace in traces.items():
			assert trace not in texte or trace == fieldname, (lecteur, fieldname)
		assert MARQUE not in texte and str(NOMBRE) not in texte, lecteur
		# The level-0 changes stay in the history of who may read them (issue 9's fields included).
		assert set(visibles) <= montres, (lecteur, set(visibles) - montres)


# --- 1. Versions: kept, and masked for who may not read them -----------------------------------------


def test_historique_du_beneficiaire_sans_champ_confidentiel(monde, lecteur_sans_confidentiel, champs_de_test):  # noqa: F811
	"""Every level ≥ 1 field of the file, a custom field the Responsable put at level 1 included."""
	with as_user(monde.resp_a):
		personnaliser("Beneficiaire", lambda f: ajouter_champ(f, "dette", permlevel=1))
	assert frappe.get_meta("Beneficiaire").get_field(f"{PREFIXE}dette").permlevel == 1
	dossier = make_beneficiaire(monde.a, nom_usage="Historique", prenoms="Hélène").name
	with as_user(monde.ts_a):
		ben = frappe.get_doc("Beneficiaire", dossier)
		traces = remplir_les_champs_confidentiels(ben)
		assert {f"{PREFIXE}dette", "numero_securite_sociale", "ressources"} <= set(traces)
		# Issue 9's consent fields (level 0): kept and visible.
		ben.update(
			{
				"consentement_rappel_sms": 1,
				"date_consentement_sms": DATE,
				"telephone": "0612345678",
				"date_information_rgpd": DATE,
			}
		)
		ben.save(ignore_version=False)
	verifier_historique_masque(
		"Beneficiaire",
		dossier,
		traces,
		lecteur_sans_confidentiel,
		monde.ts_a,
		visibles=("consentement_rappel_sms", "date_consentement_sms", "date_information_rgpd"),
	)


def test_historique_de_l_accompagnement_et_chronologie_du_dossier(monde, lecteur_sans_confidentiel):
	"""Every level ≥ 1 field of an accompaniment; the file's timeline, which lists it, neither."""
	dossier = make_beneficiaire(monde.a, nom_usage="Chronologie", prenoms="Chloé").name
	acc = make_accompagnement(dossier, monde.aide_a, monde.ts_a)
	with as_user(monde.ts_a):
		acc = frappe.get_doc("Accompagnement", acc.name)
		acc.update(CONTEXTE["Accompagnement"])
		traces = remplir_les_champs_confidentiels(acc)
		assert {"compte_rendu", "montant_accorde", "motif_refus"} <= set(traces)
		# Issue 9's fields (level 0): kept and visible.
		acc.update({"objet": "Dossier FSL", "lieu": "Mairie annexe", "duree": 45})
		acc.save(ignore_version=False)
	verifier_historique_masque(
		"Accompagnement",
		acc.name,
		traces,
		lecteur_sans_confidentiel,
		monde.ts_a,
		visibles=("objet", "lieu", "duree"),
	)
	for lecteur in lecteur_sans_confidentiel:
		with as_user(lecteur):
			_versions, texte = historique("Beneficiaire", dossier)
		assert acc.name in texte  # the timeline lists the accompaniment…
		assert MARQUE not in texte and str(NOMBRE) not in texte  # …without its confidential values


# The DocTypes whose masked history the tests above check, field by field.
HISTORIQUES_VERIFIES = {"Beneficiaire", "Accompagnement"}


def test_chaque_historique_confidentiel_est_verifie():
	"""Every DocType of the app that keeps a history (track_changes) and has fields of level ≥ 1
	(custom fields included) is one the tests above check: a new one fails here until it is."""
	modules = frappe.get_module_list("suivi_social")
	suivis = frappe.get_all(
		"DocType", filters={"module": ("in", modules), "track_changes": 1, "istable": 0}, pluck="name"
	)
	assert {"Beneficiaire", "Accompagnement", "Rappel", "Absence", "Compte Rendu Prive"} <= set(suivis)
	confidentiels = {d for d in suivis if champs_confidentiels(d)}
	assert confidentiels <= HISTORIQUES_VERIFIES, confidentiels - HISTORIQUES_VERIFIES


def test_historique_du_rappel_et_de_l_absence_garde(monde):
	"""No confidential level on these: every change is kept, and read by the structure only."""
	from tests.continuite.outils import absence

	nom_rappel = rappel(monde.a, monde.ts_a)
	with as_user(monde.ts_a):
		doc = frappe.get_doc("Rappel", nom_rappel)
		doc.titre = "Relancer la MDPH"
		doc.save(ignore_version=False)
		abs_ = absence(monde.a, monde.ts_a, monde.ts_a2).insert()
		abs_.au = add_days(abs_.au, 1)
		abs_.save(ignore_version=False)
	for doctype, name, champ in (("Rappel", nom_rappel, "titre"), ("Absence", abs_.name, "au")):
		with as_user(monde.acc_a):
			versions, _texte = historique(doctype, name)
		assert champ in champs_de_l_historique(versions), doctype
		with as_user(monde.ts_b), pytest.raises(frappe.PermissionError):
			ouvrir(doctype, name)


def test_historique_du_compte_rendu_prive_pour_son_auteur_seulement(monde):
	"""A private report's changes are kept (track_changes); its Versions hold its text, so they are
	read by who reads the report: its author, not a colleague, not even a System Manager."""
	sm = make_user("sm-trace@test.fr", "System Manager")
	nom = compte_rendu(monde.ts_a, monde.acc_ben_a)
	with as_user(monde.ts_a):
		doc = frappe.get_doc("Compte Rendu Prive", nom)
		doc.texte = f"<p>{MARQUE} privé</p>"
		doc.save(ignore_version=False)
		versions, _texte = historique("Compte Rendu Prive", nom)
	assert "texte" in champs_de_l_historique(versions)
	version = frappe.get_all(
		"Version", filters={"ref_doctype": "Compte Rendu Prive", "docname": nom}, pluck="name"
	)
	assert version
	with as_user(sm):
		assert not frappe.get_list("Version", filters={"docname": nom}, pluck="name")
		assert not frappe.has_permission("Version", "read", version[0])
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc("Version", version[0]).check_permission("read")
		# The rule is the report's, not a ban on Versions: the System Manager reads the others.
		assert frappe.get_list("Version", filters={"ref_doctype": ("!=", "Compte Rendu Prive")}, limit=1)
	with as_user(monde.ts_a2), pytest.raises(frappe.PermissionError):
		ouvrir("Compte Rendu Prive", nom)


@pytest.mark.parametrize("role", ("ts_a", "acc_a", "resp_a"))
def test_la_liste_des_versions_fermee_aux_roles_de_l_application(monde, role):
	"""The Version list, frappe.client.get_list / get / get_value and the diff helpers: System
	Manager only. The app's roles read a record's history in its form, masked."""
	from frappe import client
	from frappe.utils import diff

	ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
	ben.telephone = "0611223344"
	ben.save(ignore_version=False)
	version = frappe.get_all("Version", filters={"ref_doctype": "Beneficiaire"}, pluck="name", limit=1)
	assert version
	with as_user(getattr(monde, role)):
		for appel in (
			lambda: frappe.get_list("Version", fields=["name", "data"]),
			lambda: client.get_list("Version", fields=["name", "data"]),
			lambda: client.get("Version", version[0]),
			lambda: client.get_value("Version", "data", {"name": version[0]}),
			lambda: diff.version_query("Version", "", "name", 0, 20, {"docname": "x", "ref_doctype": "y"}),
			lambda: diff.get_version_diff(version[0], version[0], "nom_usage"),
		):
			with pytest.raises(frappe.PermissionError):
				appel()
		frappe.local.form_dict = frappe._dict(doctype="Version", fields=json.dumps(["name", "data"]))
		with pytest.raises(frappe.PermissionError):
			reportview.get()


def test_http_versions_fermees(monde, cles):  # noqa: F811
	for user in (monde.ts_a, monde.acc_a, monde.resp_a):
		r = get(cles[user], "/api/resource/Version", fields=["name", "data"])
		assert r.status_code == 403, (user, r.status_code)
		r = get(cles[user], "/api/method/frappe.client.get_list", doctype="Version", fields=["data"])
		assert r.status_code == 403, (user, r.status_code)


# --- 2. Openings (View Log): written, read by the structure's Responsable only, protected --------------


def consultations(reference_name: str) -> list[frappe._dict]:
	return frappe.get_all(
		"View Log",
		filters={"reference_name": reference_name},
		fields=["name", "viewed_by", "reference_doctype", "structure"],
	)


def test_chaque_ouverture_est_journalisee(monde):
	"""Who, when, what: a Bénéficiaire, an Accompagnement, a Compte rendu privé opened in the desk."""
	nom_cr = compte_rendu(monde.ts_a, monde.acc_ben_a)
	for doctype, name, lecteurs in (
		("Beneficiaire", monde.ben_a.name, (monde.ts_a, monde.acc_a, monde.resp_a)),
		("Accompagnement", monde.acc_ben_a, (monde.ts_a, monde.acc_a)),
		("Compte Rendu Prive", nom_cr, (monde.ts_a,)),
	):
		avant = len(consultations(name))
		for lecteur in lecteurs:
			with as_user(lecteur):
				ouvrir(doctype, name)
		lignes = consultations(name)
		assert len(lignes) == avant + len(lecteurs), doctype
		nouvelles = sorted(lignes, key=lambda r: r.name)[-len(lecteurs) :]
		assert {r.viewed_by for r in nouvelles} == set(lecteurs)
		assert {(r.reference_doctype, r.structure) for r in nouvelles} == {(doctype, monde.a)}
	# A refused opening is no opening.
	avant = len(consultations(monde.ben_b.name))
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError):
		ouvrir("Beneficiaire", monde.ben_b.name)
	assert len(consultations(monde.ben_b.name)) == avant


def test_la_structure_vient_du_dossier_ouvert(monde):
	"""Written with another structure (a System Manager's API call): the record's structure wins."""
	log = frappe.get_doc(
		{
			"doctype": "View Log",
			"viewed_by": monde.ts_a,
			"reference_doctype": "Beneficiaire",
			"reference_name": monde.ben_a.name,
			"structure": monde.b,
		}
	).insert(ignore_permissions=True)
	assert log.structure == monde.a


def ouvrir_les_dossiers_des_deux_structures(monde) -> tuple[str, str]:
	with as_user(monde.ts_a):
		ouvrir("Beneficiaire", monde.ben_a.name)
	with as_user(monde.ts_b):
		ouvrir("Beneficiaire", monde.ben_b.name)
	ligne_a = max(r.name for r in consultations(monde.ben_a.name) if r.viewed_by == monde.ts_a)
	ligne_b = max(r.name for r in consultations(monde.ben_b.name) if r.viewed_by == monde.ts_b)
	return ligne_a, ligne_b


def test_le_responsable_lit_les_consultations_de_sa_structure_seulement(monde):
	ligne_a, ligne_b = ouvrir_les_dossiers_des_deux_structures(monde)
	for responsable, sienne, autre in ((monde.resp_a, ligne_a, ligne_b), (monde.resp_b, ligne_b, ligne_a)):
		with as_user(responsable):
			lues = frappe.get_list("View Log", fields=["name", "structure"], limit_page_length=0)
			assert sienne in {r.name for r in lues}
			assert autre not in {r.name for r in lues}
			assert frappe.has_permission("View Log", "read", sienne)
			assert not frappe.has_permission("View Log", "read", autre)
			# The Report Builder and the list's count: the same rows.
			frappe.local.form_dict = frappe._dict(
				doctype="View Log", fields=json.dumps(["`tabView Log`.`name`"]), filters="[]"
			)
			assert reportview.get_count() == len(lues)


def test_la_carte_journaux_de_l_espace_de_travail(monde):
	"""The workspace's « Journaux » card leads the Responsable to both logs; an agent sees neither."""
	from frappe.desk.desktop import get_desktop_page

	def liens(user: str) -> set[str]:
		with as_user(user):
			cartes = get_desktop_page(json.dumps({"name": "Suivi social", "title": "Suivi social"}))["cards"]
		carte = next((c for c in cartes["items"] if c["label"] == "Journaux"), None)
		return {lien["link_to"] for lien in carte["links"]} if carte else set()

	assert liens(monde.resp_a) == {"View Log", "Access Log"}
	assert liens(monde.ts_a) == set() and liens(monde.acc_a) == set()


@pytest.mark.parametrize("role", ("ts_a", "acc_a", "admin"))
def test_les_agents_ne_lisent_pas_le_journal(monde, admin_suivi, role):  # noqa: F811
	user = admin_suivi if role == "admin" else getattr(monde, role)
	ouvrir_les_dossiers_des_deux_structures(monde)
	with as_user(user):
		for doctype in ("View Log", "Access Log"):
			with pytest.raises(frappe.PermissionError):
				frappe.get_list(doctype, fields=["name"])


def test_le_journal_ne_se_modifie_ni_ne_se_supprime(monde):
	"""Neither the Responsable, who reads it, nor any other role of the app."""
	from frappe import client

	ligne_a, _ligne_b = ouvrir_les_dossiers_des_deux_structures(monde)
	with as_user(monde.ts_a):
		frappe.get_doc("Beneficiaire", monde.ben_a.name)
		from frappe.core.doctype.access_log.access_log import make_access_log

		make_access_log(doctype="Beneficiaire", document=monde.ben_a.name, file_type="PDF", method="Print")
	acces = frappe.get_all(
		"Access Log", filters={"user": monde.ts_a}, order_by="creation desc", limit=1, pluck="name"
	)[0]
	for user in (monde.resp_a, monde.ts_a, monde.acc_a):
		with as_user(user):
			for doctype, name in (("View Log", ligne_a), ("Access Log", acces)):
				with pytest.raises(frappe.PermissionError):
					client.set_value(
						doctype, name, "reference_name" if doctype == "View Log" else "user", "x"
					)
				with pytest.raises(frappe.PermissionError):
					frappe.delete_doc(doctype, name)
			with pytest.raises(frappe.PermissionError):
				client.insert(
					{
						"doctype": "View Log",
						"reference_doctype": "Beneficiaire",
						"reference_name": monde.ben_a.name,
					}
				)
	assert frappe.db.exists("View Log", ligne_a) and frappe.db.exists("Access Log", acces)


def test_http_consultations(monde, cles):  # noqa: F811
	"""Over HTTP: opening commits its row, the Responsable of A lists A's openings and never B's."""
	ts_b = jeton_api(monde.ts_b)
	creees = []
	try:
		for token, dossier in ((cles[monde.ts_a], monde.ben_a.name), (ts_b, monde.ben_b.name)):
			r = get(token, "/api/method/frappe.desk.form.load.getdoc", doctype="Beneficiaire", name=dossier)
			assert r.status_code == 200, r.text
		frappe.db.rollback()  # a fresh snapshot, with the committed rows
		creees = [
			max(r.name for r in consultations(d) if r.viewed_by == u)
			for d, u in ((monde.ben_a.name, monde.ts_a), (monde.ben_b.name, monde.ts_b))
		]
		r = get(
			cles[monde.resp_a],
			"/api/resource/View Log",
			fields=["name", "structure", "viewed_by", "reference_name"],
			limit_page_length=0,
		)
		assert r.status_code == 200, r.text
		lues = {row["name"]: row for row in r.json["data"]}
		assert creees[0] in lues and creees[1] not in lues
		assert {row["structure"] for row in lues.values()} == {monde.a}
		for user in (monde.ts_a, monde.acc_a):
			assert get(cles[user], "/api/resource/View Log").status_code == 403
		# No edit, no deletion over REST either.
		r = requete_json("DELETE", cles[monde.resp_a], f"/api/resource/View Log/{creees[0]}")
		assert r.status_code == 403
		r = requete_json("PUT", cles[monde.resp_a], f"/api/resource/View Log/{creees[0]}", {"viewed_by": "x"})
		assert r.status_code == 403
	finally:
		frappe.db.rollback()
		for name in creees:
			frappe.db.delete("View Log", {"name": name})
		frappe.db.commit()


def test_http_lecture_rest_journalisee(monde, cles):  # noqa: F811
	"""A file read whole through the REST API or `frappe.client.get` (a script with an API key, or
	`frappe.db.get_doc` in the browser) is an opening too, whatever names it (name or filters); a
	refused read, a list or a single value is not."""
	token, creees = cles[monde.ts_a], []
	ben_a, ben_b = monde.ben_a.name, monde.ben_b.name
	client_get = "/api/method/frappe.client.get"
	try:
		for chemin, params, attendu, ouvert in (
			(f"/api/resource/Beneficiaire/{ben_a}", {}, 200, ben_a),
			(f"/api/v2/document/Accompagnement/{monde.acc_ben_a}", {}, 200, monde.acc_ben_a),
			(f"/api/resource/Beneficiaire/{ben_b}", {}, 403, None),
			("/api/resource/Beneficiaire", {}, 200, None),
			(client_get, {"doctype": "Beneficiaire", "name": ben_a}, 200, ben_a),
			(client_get, {"doctype": "Beneficiaire", "filters": json.dumps({"name": ben_a})}, 200, ben_a),
			("/api/v2/method/frappe.client.get", {"doctype": "Beneficiaire", "name": ben_a}, 200, ben_a),
			(client_get, {"doctype": "Beneficiaire", "name": ben_b}, 403, None),
			(
				"/api/method/frappe.client.get_value",
				{"doctype": "Beneficiaire", "filters": json.dumps({"name": ben_a}), "fieldname": "name"},
				200,
				None,
			),
		):
			frappe.db.rollback()
			avant = {r.name for r in frappe.get_all("View Log", {"viewed_by": monde.ts_a}, ["name"])}
			r = get(token, chemin, **params)
			assert r.status_code == attendu, (chemin, params)
			frappe.db.rollback()
			nouvelles = frappe.get_all(
				"View Log",
				filters={"viewed_by": monde.ts_a, "name": ("not in", avant or [""])},
				fields=["name", "reference_doctype", "reference_name", "structure"],
			)
			creees += [r.name for r in nouvelles]
			if ouvert:
				(ligne,) = nouvelles
				assert (ligne.reference_name, ligne.structure) == (ouvert, monde.a), (chemin, params)
			else:
				assert nouvelles == [], (chemin, params)
	finally:
		frappe.db.rollback()
		for name in creees:
			frappe.db.delete("View Log", {"name": name})
		frappe.db.commit()


def requete_json(method: str, token: str, path: str, corps: dict | None = None):
	"""A REST call with a JSON body (PUT, DELETE), in its own thread and connection."""
	from threading import Thread

	from frappe.app import application

	result = {}

	def run():
		with patch("frappe.app.get_site_name", return_value=TEST_SITE):
			result["response"] = Client(application).open(
				path, method=method, headers={"Authorization": token}, json=corps
			)

	thread = Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]


# --- 2. Prints, PDFs and document downloads (Access Log) -----------------------------------------------


def test_impression_et_pdf_journalises(monde, cles):  # noqa: F811
	from tests.securite import test_pdf

	depuis = now_datetime()
	r = get(cles[monde.ts_a], "/printview", doctype="Beneficiaire", name=monde.ben_a.name)
	assert r.status_code == 200
	test_pdf.pdf(cles[monde.ts_a], "Accompagnement", monde.acc_ben_a)
	journal = {
		(e.export_from, e.reference_document, e.method) for e in entrees(monde.ts_a, depuis, file_type="PDF")
	}
	assert ("Beneficiaire", monde.ben_a.name, "Print") in journal
	assert ("Accompagnement", monde.acc_ben_a, "Print") in journal
	# Refused (another structure): nothing printed, nothing logged.
	depuis = now_datetime()
	r = get(cles[monde.ts_a], test_pdf.DOWNLOAD_PDF, doctype="Beneficiaire", name=monde.ben_b.name)
	assert r.status_code == 403
	assert entrees(monde.ts_a, depuis) == []


def test_pdf_weasyprint_journalise_et_sans_champ_confidentiel(monde):
	"""frappe.utils.weasyprint.download_pdf logged nothing, and printed every field of the layout to
	whoever may print (suivi_social/telechargements.py)."""
	from tests.securite.test_pdf import texte_du_pdf

	champs = [
		{"fieldname": f, "fieldtype": "Data", "label": f} for f in ("nom_usage", "numero_securite_sociale")
	]
	format_ = frappe.get_doc(
		{
			"doctype": "Print Format",
			"name": "Trace WeasyPrint",
			"doc_type": "Beneficiaire",
			"module": "Dossiers",
			"print_format_builder_beta": 1,
			"format_data": json.dumps({"sections": [{"columns": [{"fields": champs}]}]}),
		}
	).insert(ignore_permissions=True)
	nir_a = frappe.db.get_value("Beneficiaire", monde.ben_a.name, "numero_securite_sociale")
	depuis = now_datetime()
	for user, nir_visible in ((monde.ts_a, True), (monde.acc_a, False)):
		with as_user(user):
			appeler(
				"frappe.utils.weasyprint.download_pdf",
				doctype="Beneficiaire",
				name=monde.ben_a.name,
				print_format=format_.name,
			)
		texte = texte_du_pdf(frappe.response.filecontent)
		assert "Martin" in texte and (nir_a in texte.replace(" ", "")) == nir_visible, user
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError):
		appeler(
			"frappe.utils.weasyprint.download_pdf",
			doctype="Beneficiaire",
			name=monde.ben_b.name,
			print_format=format_.name,
		)
	journal = frappe.get_all(
		"Access Log",
		filters={"user": ("in", (monde.ts_a, monde.acc_a)), "creation": (">=", depuis), "method": "Print"},
		fields=["user", "export_from", "reference_document"],
		as_list=True,
	)
	assert sorted(tuple(r) for r in journal) == sorted(
		(u, "Beneficiaire", monde.ben_a.name) for u in (monde.ts_a, monde.acc_a)
	)


def test_telechargement_d_un_document_journalise(monde, cles, pieces_commitees):  # noqa: F811
	"""A private attachment, by its URL (/private/files/…) and by the REST API's download_file."""
	fichier_a = frappe.get_doc("File", pieces_commitees[monde.a])
	fichier_b = frappe.get_doc("File", pieces_commitees[monde.b])
	token = cles[monde.ts_a]
	for telecharger in (
		lambda f: get(token, f.file_url),
		lambda f: get(token, "/api/method/download_file", file_url=f.file_url),
		lambda f: get(token, "/api/method/frappe.handler.download_file", file_url=f.file_url),
	):
		depuis = now_datetime()
		r = telecharger(fichier_a)
		assert r.status_code == 200, r.status_code
		journal = entrees(monde.ts_a, depuis)
		assert [(e.export_from, e.file_type) for e in journal] == [("File", "txt")]
		assert frappe.db.get_value("Access Log", journal[0].name, "reference_document") == fichier_a.name
		# Another structure's document: refused, and no row.
		depuis = now_datetime()
		assert telecharger(fichier_b).status_code == 403
		assert entrees(monde.ts_a, depuis) == []


# --- 3. Kept for a configurable time (Log Settings) ---------------------------------------------------


def test_duree_de_conservation_reglee_par_l_installation():
	from suivi_social import install

	durees = {d.ref_doctype: d.days for d in frappe.get_single("Log Settings").logs_to_clear}
	assert durees["Access Log"] == 365 and durees["View Log"] == 365
	# A manager's duration is kept by the next migrate; a removed one comes back.
	settings = frappe.get_single("Log Settings")
	settings.logs_to_clear = [d for d in settings.logs_to_clear if d.ref_doctype != "Access Log"]
	next(d for d in settings.logs_to_clear if d.ref_doctype == "View Log").days = 180
	settings.save(ignore_permissions=True)
	install.enregistrer_durees_des_journaux()
	durees = {d.ref_doctype: d.days for d in frappe.get_single("Log Settings").logs_to_clear}
	assert durees["View Log"] == 180 and durees["Access Log"] == 365


def test_le_nettoyage_quotidien_retire_les_vieux_journaux_et_garde_les_recents(monde):
	from frappe.core.doctype.log_settings.log_settings import run_log_clean_up

	lignes = {}
	for age in (400, 300):
		view = frappe.get_doc(
			{
				"doctype": "View Log",
				"viewed_by": monde.ts_a,
				"reference_doctype": "Beneficiaire",
				"reference_name": monde.ben_a.name,
			}
		).insert(ignore_permissions=True)
		acces = frappe.get_doc(
			{"doctype": "Access Log", "user": monde.ts_a, "export_from": "Beneficiaire", "method": "Print"}
		).insert(ignore_permissions=True)
		quand = add_days(now_datetime(), -age)
		for doctype, doc in (("View Log", view), ("Access Log", acces)):
			frappe.db.set_value(
				doctype, doc.name, {"creation": quand, "modified": quand}, update_modified=False
			)
			lignes[(doctype, age)] = doc.name
	# The daily job (Frappe's scheduler), inside this test's transaction: it commits after each log.
	with patch.object(frappe.db, "commit"):
		run_log_clean_up()
	for (doctype, age), name in lignes.items():
		assert bool(frappe.db.exists(doctype, name)) == (age < 365), (doctype, age)


def test_l_agent_d_accueil_de_la_fixture_est_bien_un_agent_d_accueil(monde):
	"""The masking tests above would prove nothing if acc-a read the confidential level."""
	assert AGENT_ACCUEIL in frappe.get_roles(monde.acc_a)
	assert 1 not in frappe.get_meta("Beneficiaire").get_permlevel_access("read", user=monde.acc_a)
