"""The demo data is created once, is isolated per structure like real data, and clears completely."""

import frappe

from suivi_social import demo
from tests.conftest import as_user


def test_demo_creation_idempotente_et_reversible():
	demo.create_demo_data()
	fichiers = frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"})
	assert fichiers >= 2
	demo.create_demo_data()
	assert frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"}) == fichiers
	with as_user("travailleur@cias-valfictif.fr"):
		assert set(frappe.get_list("Beneficiaire", pluck="structure")) == {"CIAS du Val Fictif"}
	demo.clear_demo_data()
	assert not frappe.db.exists("Structure", "CCAS de Démoville")
	assert not frappe.db.exists("User", "accueil@ccas-demo.fr")
	assert frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"}) == 0
