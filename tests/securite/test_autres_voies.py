"""Global search, print and attachments: the same isolation as lists and forms."""

import frappe
import pytest
from frappe.utils.global_search import search as recherche_globale

from tests.conftest import as_user

NOS_DOCTYPES = ("Structures", "Dossiers")


def test_aucun_champ_dans_la_recherche_globale():
	"""Frappe's global search checks only 'may read the DocType' (frappe#15273): keep our data out."""
	for doctype in frappe.get_all("DocType", filters={"module": ("in", NOS_DOCTYPES)}, pluck="name"):
		meta = frappe.get_meta(doctype)
		assert not meta.show_name_in_global_search, doctype
		assert not [df.fieldname for df in meta.fields if df.in_global_search], doctype


def test_la_recherche_globale_ne_trouve_pas_les_dossiers(monde):
	with as_user(monde.ts_a):
		assert not [
			r for r in recherche_globale("Bernard") if r.doctype in ("Beneficiaire", "Accompagnement")
		]
		assert not [r for r in recherche_globale("Martin") if r.doctype in ("Beneficiaire", "Accompagnement")]


def test_impression_masquee_pour_l_accueil_refusee_ailleurs(monde):
	nir = frappe.db.get_value("Beneficiaire", monde.ben_a.name, "numero_securite_sociale")
	with as_user(monde.ts_a):
		assert nir in frappe.get_print("Beneficiaire", monde.ben_a.name)
	with as_user(monde.acc_a):
		html = frappe.get_print("Beneficiaire", monde.ben_a.name)
		assert "Martin" in html
		assert nir not in html
	with as_user(monde.ts_b):
		with pytest.raises(frappe.PermissionError):
			frappe.get_print("Beneficiaire", monde.ben_a.name)


def test_pieces_jointes_privees_et_isolees(monde):
	piece = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "avis-imposition.txt",
			"content": b"revenus 2025",
			"attached_to_doctype": "Beneficiaire",
			"attached_to_name": monde.ben_b.name,
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	assert piece.file_url.startswith("/private/files/")
	with as_user(monde.ts_b):
		assert frappe.has_permission("File", "read", piece.name)
	with as_user(monde.ts_a):
		assert not frappe.has_permission("File", "read", piece.name)
		assert piece.name not in frappe.get_list("File", pluck="name", limit_page_length=0)
		# Files not attached to our records (folders, the user's own uploads) stay listed.
		assert "Home" in frappe.get_list("File", pluck="name", limit_page_length=0)
	with as_user(monde.ts_b):
		assert piece.name in frappe.get_list("File", pluck="name", limit_page_length=0)


def exporter(doctype: str, fields: list[str]) -> str:
	"""Report Builder's export, as the desk calls it."""
	import json

	from frappe.desk.reportview import export_query

	frappe.local.form_dict = frappe._dict(
		doctype=doctype,
		file_format_type="CSV",
		fields=json.dumps([f"`tab{doctype}`.`{f}`" for f in fields]),
		filters="[]",
	)
	export_query()
	return frappe.response["filecontent"].decode()


def test_export_du_report_builder_limite_a_la_structure(monde):
	# Creates nothing: the export writes an Access Log, which commits at once.
	with as_user(monde.ts_a):
		csv = exporter("Beneficiaire", ["name", "nom_usage", "numero_securite_sociale"])
	assert monde.ben_a.name in csv and "Martin" in csv
	assert monde.ben_b.name not in csv and "Bernard" not in csv
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError):
			exporter("Beneficiaire", ["name", "nom_usage"])


def test_calendrier_des_rappels_limite_a_la_structure(monde):
	from frappe.desk.calendar import get_events

	for user, structure, titre in ((monde.ts_a, monde.a, "Rappel A"), (monde.ts_b, monde.b, "Rappel B")):
		frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": titre,
				"date_echeance": "2026-12-02",
				"assigne_a": user,
				"structure": structure,
			}
		).insert(ignore_permissions=True)
	with as_user(monde.ts_a):
		events = get_events(
			"Rappel",
			"2026-12-01",
			"2026-12-31",
			field_map='{"start": "date_echeance", "end": "date_echeance", "id": "name", "title": "titre"}',
		)
	titres = {e.titre for e in events}
	assert "Rappel A" in titres and "Rappel B" not in titres
