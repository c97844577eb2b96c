"""The demo data is created once, is isolated per structure like real data, and clears completely."""

import frappe

from suivi_social import demo
from tests.conftest import as_user


def test_demo_creation_idempotente_et_reversible():
	demo.create_demo_data()
	fichiers = frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"})
	assert fichiers >= 2
	# A past import of old workbooks, with its reports and the files it created.
	assert frappe.db.get_value(
		"Import Classeur", {"structure": "CCAS de Démoville"}, ["statut", "personnes_creees"]
	) == ("Terminé", 3)
	demo.create_demo_data()
	assert frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"}) == fichiers
	assert frappe.db.count("Import Classeur", {"structure": "CCAS de Démoville"}) == 1
	with as_user("travailleur@cias-valfictif.fr"):
		assert set(frappe.get_list("Beneficiaire", pluck="structure")) == {"CIAS du Val Fictif"}
	demo.clear_demo_data()
	assert not frappe.db.exists("Structure", "CCAS de Démoville")
	assert not frappe.db.exists("User", "accueil@ccas-demo.fr")
	assert frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"}) == 0
	for doctype in ("Import Classeur", "Ligne Importee", "Modele Import", "Correspondance Referent"):
		assert not frappe.get_all(doctype, {"structure": "CCAS de Démoville"}), doctype
	# Its workbook, reports and rejected rows went with it.
	for fichier in frappe.get_all("File", {"attached_to_doctype": "Import Classeur"}, ["attached_to_name"]):
		assert frappe.db.exists("Import Classeur", fichier.attached_to_name)
	assert not frappe.db.exists("File", {"file_name": ("like", "anciens-tableaux-ccas%")})
