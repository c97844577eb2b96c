"""Every export is logged (suivi_social/exports.py), and the Responsable reads the log of their
structure's users only (permissions/journal_acces.py).

Exports over HTTP commit their Access Log entry (Frappe commits it at once): the tests find their
own entries by user and time, on the committed world of two structures."""

import csv
import io
import json

import frappe
import pytest
from frappe.core.doctype.data_import import data_import
from frappe.utils import now_datetime

from suivi_social import exports
from tests.conftest import as_user
from tests.securite.test_http import requete
from tests.securite.test_rapports import FILTRE, admin_suivi, donnees, jetons

RAPPORT = "Activite par typologie"
FILTRES_RAPPORT = {"date_debut": "2026-01-01", "date_fin": "2026-12-31"}


def journaliser_depuis_le_navigateur(token: str, **params):
	"""What the desk's query_report.js sends to make_access_log. `method` is one of its arguments,
	so the request is made here rather than through test_http.requete (same thread and client)."""
	from threading import Thread
	from unittest.mock import patch

	from frappe.app import application
	from werkzeug.test import Client

	from tests.conftest import TEST_SITE

	valeurs = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
	result = {}

	def run():
		with patch("frappe.app.get_site_name", return_value=TEST_SITE):
			result["response"] = Client(application).post(
				"/api/method/frappe.core.doctype.access_log.access_log.make_access_log",
				headers={"Authorization": token},
				data=valeurs,
			)

	thread = Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]


def entrees(user: str, depuis, **filtres) -> list[dict]:
	"""The Access Log entries of a user since a moment, read as Administrator (fresh snapshot)."""
	frappe.db.rollback()
	return frappe.get_all(
		"Access Log",
		filters={"user": user, "creation": (">=", depuis), **filtres},
		fields=[
			"name",
			"export_from",
			"reference_document",
			"report_name",
			"file_type",
			"method",
			"filters",
			"columns",
		],
	)


# --- Each export path writes its entry -------------------------------------------------------------


def test_l_export_du_report_builder_est_journalise(donnees, jetons):  # noqa: F811
	w, depuis = donnees, now_datetime()
	r = requete(
		"POST",
		jetons[w.resp_a],
		"/api/method/frappe.desk.reportview.export_query",
		doctype="Accompagnement",
		file_format_type="CSV",
		fields=["`tabAccompagnement`.`name`"],
		filters=FILTRE,
	)
	assert r.status_code == 200, r.text
	(entree,) = entrees(w.resp_a, depuis)
	assert (entree.export_from, entree.file_type) == ("Accompagnement", "CSV")
	assert "orientation_partenaire" in entree.filters


def exporter_rapport(token: str, structure: str, format_: str = "Excel"):
	return requete(
		"POST",
		token,
		"/api/method/frappe.desk.query_report.export_query",
		report_name=RAPPORT,
		file_format_type=format_,
		filters={**FILTRES_RAPPORT, "structure": structure},
		applied_filters={},
		visible_idx=[],
		custom_columns=[],
		include_indentation=0,
	)


def test_l_export_d_un_rapport_script_est_journalise(donnees, jetons):  # noqa: F811
	"""Frappe logs it only from the browser, before asking for the file: a direct call left no trace."""
	w, depuis = donnees, now_datetime()
	r = exporter_rapport(jetons[w.resp_a], w.a)
	assert r.status_code == 200, r.text
	assert r.data[:2] == b"PK"  # an xlsx
	(entree,) = entrees(w.resp_a, depuis)
	assert (entree.export_from, entree.report_name, entree.file_type, entree.method) == (
		"Accompagnement",
		RAPPORT,
		"Excel",
		"Export",
	)
	assert json.loads(entree.filters)["structure"] == w.a
	# The desk's own browser line for that export is a duplicate: dropped.
	r = journaliser_depuis_le_navigateur(
		jetons[w.resp_a],
		doctype="Accompagnement",
		report_name=RAPPORT,
		file_type="Excel",
		filters=FILTRES_RAPPORT,
		**{"method": "Export"},
	)
	assert r.status_code == 200, r.text
	assert len(entrees(w.resp_a, depuis)) == 1
	# Printing the report (rendered by the browser) is still logged from the browser.
	r = journaliser_depuis_le_navigateur(
		jetons[w.resp_a],
		doctype="Accompagnement",
		report_name=RAPPORT,
		file_type="PDF",
		**{"method": "Print"},
	)
	assert r.status_code == 200, r.text
	# Once each: a line logged twice would count two prints.
	assert sorted(e.method for e in entrees(w.resp_a, depuis)) == ["Export", "Print"]


def test_un_export_refuse_n_est_pas_journalise(donnees, jetons):  # noqa: F811
	"""Another structure's filter: the report refuses it, and nothing is logged as exported."""
	w, depuis = donnees, now_datetime()
	r = exporter_rapport(jetons[w.resp_a], w.b)
	assert r.status_code == 403, r.text
	assert entrees(w.resp_a, depuis) == []


def test_le_modele_d_import_avec_donnees_journalise_et_sans_champ_confidentiel(monde, admin_suivi):  # noqa: F811
	"""The list view's « Exporter » (Data Import's template with data) read child tables with
	frappe.get_all: the resources (confidential level) went to a user without that level."""
	ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
	ben.append("ressources", {"nature": "RSA", "montant": 612.34, "precision": "versée le 5"})
	ben.save(ignore_permissions=True)
	champs = {
		"Beneficiaire": ["name", "nom_usage", "numero_securite_sociale"],
		"ressources": ["nature", "montant"],
	}

	def telecharger(user: str, methode=exports.download_template) -> str:
		with as_user(user):
			methode(
				"Beneficiaire",
				export_fields=json.dumps(champs),
				export_records="by_filter",
				export_filters=json.dumps({"name": ben.name}),
				file_type="CSV",
			)
		return frappe.response.pop("result")

	depuis = now_datetime()
	texte = telecharger(admin_suivi)
	entete, *rows = csv.reader(io.StringIO(texte))
	assert rows and rows[0][0] == ben.name and "Martin" in texte
	assert "612.34" not in texte and "RSA" not in texte and ben.numero_securite_sociale not in texte
	journal = frappe.get_all(
		"Access Log",
		filters={"user": admin_suivi, "creation": (">=", depuis)},
		fields=["export_from", "columns", "filters"],
	)
	assert [(e.export_from, ben.name in e.filters) for e in journal] == [("Beneficiaire", True)]
	assert "ressources" not in json.loads(journal[0].columns)
	# Frappe's own method handed them over: the filter is what keeps them out.
	assert "612.34" in telecharger(admin_suivi, data_import.download_template)
	# A user of the confidential level still exports them.
	assert "612.34" in telecharger(monde.ts_a)


def test_le_modele_avec_donnees_refuse_sans_droit_d_export(monde):
	depuis = now_datetime()
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError):
			exports.download_template(
				"Beneficiaire",
				export_fields=json.dumps({"Beneficiaire": ["name", "nom_usage"]}),
				export_records="all",
			)
	assert not frappe.get_all("Access Log", filters={"user": monde.acc_a, "creation": (">=", depuis)})


def test_le_modele_vide_n_est_pas_journalise(monde):
	depuis = now_datetime()
	with as_user(monde.ts_a):
		exports.download_template(
			"Beneficiaire",
			export_fields=json.dumps({"Beneficiaire": ["nom_usage"]}),
			export_records="blank_template",
		)
	assert not frappe.get_all("Access Log", filters={"user": monde.ts_a, "creation": (">=", depuis)})


def test_l_outil_d_export_de_donnees_reserve_a_l_administrateur(monde):
	"""Data Export reads child tables with no permission at all: with data, System Manager only."""
	with as_user(monde.resp_a):
		with pytest.raises(frappe.PermissionError, match="réservé à l'administrateur du site"):
			exports.export_data(doctype="Beneficiaire", with_data=True, select_columns=None)
		# The blank template remains (no record in it).
		exports.export_data(doctype="Beneficiaire", template=True, with_data=False)
	exports.export_data(doctype="Beneficiaire", with_data=True, file_type="CSV")  # as Administrator
	assert monde.ben_b.name in frappe.response["result"]


def test_les_voies_d_export_sont_surchargees():
	hooks = frappe.get_hooks("override_whitelisted_methods")
	for methode, surcharge in (
		("frappe.desk.query_report.export_query", "export_query"),
		("frappe.core.doctype.access_log.access_log.make_access_log", "make_access_log"),
		("frappe.core.doctype.data_import.data_import.download_template", "download_template"),
		("frappe.core.doctype.data_export.exporter.export_data", "export_data"),
	):
		assert hooks.get(methode) == [f"suivi_social.exports.{surcharge}"], methode


# --- Who reads the log -----------------------------------------------------------------------------


@pytest.fixture
def journal(monde, admin_suivi):  # noqa: F811
	"""One entry per user, written as Frappe writes them (rolled back after the test)."""
	noms = {}
	for user in (monde.ts_a, monde.resp_a, monde.acc_a, monde.ts_b, monde.resp_b, admin_suivi):
		doc = frappe.get_doc(
			{
				"doctype": "Access Log",
				"user": user,
				"export_from": "Beneficiaire",
				"file_type": "CSV",
				"method": "Export",
				"filters": json.dumps({"nom_usage": f"Filtre de {user}"}),
				"page": f"<p>Page imprimée par {user}</p>",
			}
		)
		doc.db_insert()
		noms[user] = doc.name
	return noms


def test_le_responsable_voit_les_exports_de_sa_structure(monde, journal, admin_suivi):  # noqa: F811
	equipe_a = {monde.ts_a, monde.resp_a, monde.acc_a}
	equipe_b = {monde.ts_b, monde.resp_b}
	for resp, equipe in ((monde.resp_a, equipe_a), (monde.resp_b, equipe_b)):
		with as_user(resp):
			vus = set(
				frappe.get_list("Access Log", filters={"name": ("in", list(journal.values()))}, pluck="name")
			)
			assert vus == {journal[u] for u in equipe}
			for user, name in journal.items():
				assert bool(frappe.has_permission("Access Log", "read", name)) == (user in equipe), user
			with pytest.raises(frappe.PermissionError):
				frappe.client.get("Access Log", journal[admin_suivi])
			# Who, what, when, with which filters; not the printed page again.
			entree = frappe.client.get("Access Log", journal[next(iter(equipe))])
			assert entree["export_from"] == "Beneficiaire" and "Filtre de" in entree["filters"]
			assert not entree.get("page")


@pytest.mark.parametrize("role_user", ["ts_a", "acc_a"])
def test_les_agents_ne_voient_pas_le_journal(monde, journal, role_user):
	with as_user(getattr(monde, role_user)):
		assert not frappe.has_permission("Access Log", "read")
		with pytest.raises(frappe.PermissionError):
			frappe.get_list("Access Log")


def test_http_le_journal_du_responsable(donnees, jetons):  # noqa: F811
	"""Over HTTP, after a real export by each structure's social worker."""
	w, depuis = donnees, now_datetime()
	for ts in (w.ts_a, w.ts_b):
		r = exporter_rapport(jetons[ts], w.a if ts == w.ts_a else w.b, "CSV")
		assert r.status_code == 200, r.text
	lus = {}
	for user in (w.resp_a, w.resp_b, w.ts_a):
		r = requete(
			"GET",
			jetons[user],
			"/api/resource/Access Log",
			fields=["user", "report_name", "page"],
			filters=[["creation", ">=", str(depuis)]],
			limit_page_length=0,
		)
		lus[user] = r
	assert lus[w.ts_a].status_code == 403
	for resp, ts in ((w.resp_a, w.ts_a), (w.resp_b, w.ts_b)):
		assert lus[resp].status_code == 200, lus[resp].text
		rows = lus[resp].json["data"]
		assert {row["user"] for row in rows} == {ts}
		assert [row["report_name"] for row in rows] == [RAPPORT]
		assert all("page" not in row for row in rows)


def test_le_journal_en_francais(monkeypatch):
	from frappe.translate import clear_cache

	monkeypatch.setattr(frappe.local, "lang", "fr")
	clear_cache()  # the .mo files are read once into a cache
	frappe.local.lang_full_dict = None
	try:
		assert frappe._("Access Log") == "Journal des accès"
		assert frappe._("Export From") == "Exporté depuis"
		liste = {df.fieldname for df in frappe.get_meta("Access Log").fields if df.in_list_view}
		assert liste == {"export_from", "user", "file_type", "report_name"}
	finally:
		frappe.local.lang_full_dict = None


def test_les_droits_sur_le_journal_sont_idempotents():
	from suivi_social.permissions import journal_acces

	def etat():
		return (
			frappe.get_all(
				"Custom DocPerm",
				filters={"parent": "Access Log"},
				fields=["role", "permlevel", "read", "report", "export", "write", "delete"],
				order_by="role, permlevel",
			),
			frappe.db.count("Property Setter", {"doc_type": "Access Log"}),
		)

	avant = etat()
	journal_acces.synchroniser()
	assert etat() == avant
	assert {
		"role": "Responsable de structure",
		"permlevel": 0,
		"read": 1,
		"report": 1,
		"export": 0,
		"write": 0,
		"delete": 0,
	} in avant[0]
