"""Tags (« étiquettes ») of another structure's files: neither their rows, nor their words, nor the
right to put or remove one (permissions/etiquettes.py, overrides.add_tag…). Frappe lets every user
read every Tag Link row, which carries the tagged file's title (the person's name); found by the
second review of test_balayage.py, which now plants a tag on B's file."""

import frappe
import pytest
from frappe.desk.doctype.tag.tag import get_documents_for_tag, get_tags, get_tags_list_for_awesomebar

from tests.conftest import as_user
from tests.securite.test_tracabilite import appeler


@pytest.fixture
def etiquettes(monde):
	frappe.get_doc("Beneficiaire", monde.ben_b.name).add_tag("Secret B")
	frappe.get_doc("Beneficiaire", monde.ben_a.name).add_tag("Suivi A")
	return monde


def test_les_etiquettes_d_une_autre_structure_invisibles(etiquettes):
	monde = etiquettes
	with as_user(monde.resp_a):
		lignes = frappe.get_list("Tag Link", fields=["document_name", "title", "tag"], limit_page_length=0)
		assert {ligne.document_name for ligne in lignes} == {monde.ben_a.name}
		assert get_documents_for_tag("#Secret B") == []
		assert [d["name"] for d in get_documents_for_tag("#Suivi A")] == [monde.ben_a.name]
		# The words themselves (autocompletion, awesomebar).
		assert "Secret B" not in get_tags("Beneficiaire", "e")
		assert "Secret B" not in get_tags_list_for_awesomebar()
		assert "Suivi A" in get_tags("Beneficiaire", "Suivi")
		assert not frappe.has_permission("Tag", "read", "Secret B")
		ligne_b = frappe.get_all("Tag Link", {"document_name": monde.ben_b.name}, pluck="name")[0]
		assert not frappe.has_permission("Tag Link", "read", ligne_b)
		# Frappe read the names by tag with frappe.qb, unchecked (overrides.get_tagged_docs).
		noms = appeler("frappe.desk.doctype.tag.tag.get_tagged_docs", doctype="Beneficiaire", tag="%")
		assert [list(r) for r in noms] == [[monde.ben_a.name]]
	with as_user(monde.ts_b):
		assert [d["name"] for d in get_documents_for_tag("#Secret B")] == [monde.ben_b.name]


def test_pas_d_etiquette_sur_le_dossier_d_une_autre_structure(etiquettes):
	monde = etiquettes
	with as_user(monde.resp_a):
		for cmd, params in (
			(
				"frappe.desk.doctype.tag.tag.add_tag",
				{"tag": "Vu par A", "dt": "Beneficiaire", "dn": monde.ben_b.name},
			),
			(
				"frappe.desk.doctype.tag.tag.add_tags",
				{"tags": '["Vu par A"]', "dt": "Beneficiaire", "docs": f'["{monde.ben_b.name}"]'},
			),
			(
				"frappe.desk.doctype.tag.tag.remove_tag",
				{"tag": "Secret B", "dt": "Beneficiaire", "dn": monde.ben_b.name},
			),
		):
			with pytest.raises(frappe.PermissionError):
				appeler(cmd, **params)
		appeler("frappe.desk.doctype.tag.tag.add_tag", tag="Vu par A", dt="Beneficiaire", dn=monde.ben_a.name)
	assert frappe.db.get_value("Beneficiaire", monde.ben_b.name, "_user_tags") == ",Secret B"
	assert "Vu par A" in frappe.db.get_value("Beneficiaire", monde.ben_a.name, "_user_tags")
