"""The Responsable reads the retention's dry run (« Conservation des dossiers ») and applies it for
their structure after a confirmation (suivi_social/rgpd/conservation.py)."""

import frappe
from playwright.sync_api import expect

from tests.factories import make_accompagnement, make_beneficiaire
from tests.navigateur.donnees import STRUCTURE, TYPE_SIMPLE
from tests.navigateur.outils import attendre_requetes, boite, capture, ouvrir
from tests.rgpd.test_conservation import vieillir

RAPPORT = "/app/query-report/Conservation des dossiers"


def dossier_ancien(agent: str) -> str:
	"""A file of « CCAS Navigateur » without contact since 2019 (committed: the web server reads it)."""
	type_simple = frappe.db.get_value("Type Accompagnement", {"structure": STRUCTURE, "nom": TYPE_SIMPLE})
	dossier = make_beneficiaire(STRUCTURE, nom_usage="Oublié", prenoms="Anselme", date_naissance="1944-04-04")
	make_accompagnement(dossier.name, type_simple, agent)
	vieillir(dossier.name)
	frappe.db.commit()
	return dossier.name


def test_apercu_puis_application_par_le_responsable(onglet, roles, monde_nv):
	dossier = dossier_ancien(monde_nv.comptes["travailleur"])
	try:
		page = onglet("responsable")
		ouvrir(page, roles.base_url, RAPPORT)
		tableau = page.locator(".report-wrapper:visible .dt-scrollable")
		expect(tableau).to_contain_text(dossier)
		expect(tableau).to_contain_text("À archiver")
		expect(tableau).to_contain_text("OUBLIÉ Anselme")
		expect(page.locator(".report-wrapper:visible, .page-form:visible").first).to_be_visible()
		expect(page.locator(".layout-main-section:visible")).to_contain_text("rien n'est modifié")
		capture(page, "conservation-apercu")
		attendre_requetes(page)
		frappe.db.rollback()
		assert frappe.db.get_value("Beneficiaire", dossier, "statut") == "Actif"

		page.locator(".page-head:visible button", has_text="Appliquer maintenant").click()
		confirmation = boite(page)
		expect(confirmation).to_contain_text(
			"Archiver 1 dossier(s) et anonymiser définitivement 0 dossier(s)"
		)
		expect(confirmation).to_contain_text(STRUCTURE)
		capture(page, "conservation-confirmation")
		confirmation.locator(".btn-primary").click()
		expect(boite(page)).to_contain_text("1 dossier(s) archivé(s), 0 anonymisé(s), 0 en échec.")
		capture(page, "conservation-appliquee")
		attendre_requetes(page)

		frappe.db.rollback()
		assert frappe.db.get_value("Beneficiaire", dossier, ["statut", "nom_usage"]) == ("Archivé", "Oublié")
	finally:
		frappe.db.rollback()
		for acc in frappe.get_all("Accompagnement", filters={"beneficiaire": dossier}, pluck="name"):
			frappe.delete_doc("Accompagnement", acc, ignore_permissions=True, delete_permanently=True)
		frappe.delete_doc("Beneficiaire", dossier, ignore_permissions=True, delete_permanently=True)
		# The run's audit entry in the structure's timeline.
		frappe.db.delete(
			"Comment",
			{
				"reference_doctype": "Structure",
				"reference_name": STRUCTURE,
				"content": ("like", f"%{dossier}%"),
			},
		)
		frappe.db.commit()
