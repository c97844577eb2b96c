"""The Responsable de structure reads who opened which file (issue 10 §2): a colleague's opening of
a file of their structure, never an opening in another structure (permissions/journal_consultations.py).

The Travailleur social opens a file in the desk (Frappe writes the View Log row); an opening of a
file of « CCAS Navigateur Voisin » is written beforehand. The Responsable opens « Journal des
consultations » and finds the first, never the second (the workspace's « Journaux » card that leads
there: tests/securite/test_tracabilite.py)."""

import frappe
from playwright.sync_api import expect

from tests.factories import make_beneficiaire
from tests.navigateur.donnees import RESPONSABLE_VOISIN, STRUCTURE_VOISINE
from tests.navigateur.outils import attendre_requetes, capture, formulaire_pret, ouvrir, texte_visible


def lignes(page):
	return page.locator(".frappe-list:visible .list-row-container")


def test_le_responsable_voit_qui_a_ouvert_un_dossier(onglet, roles, monde_nv):
	travailleur = monde_nv.comptes["travailleur"]
	dossier_voisin = ouverture_voisine = None
	try:
		# An opening in the other structure, the most recent of all: a leak would head the list.
		dossier_voisin = make_beneficiaire(STRUCTURE_VOISINE, nom_usage="Voisin", prenoms="Victor").name
		frappe.db.commit()

		page = onglet("travailleur")
		ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_paul}")
		formulaire_pret(page, "Beneficiaire")

		frappe.set_user(RESPONSABLE_VOISIN)
		try:
			ouverture_voisine = frappe.get_doc("Beneficiaire", dossier_voisin).add_viewed().name
		finally:
			frappe.set_user("Administrator")
		frappe.db.commit()

		page = onglet("responsable")
		ouvrir(page, roles.base_url, "/app/view-log")
		page.wait_for_function(
			"""() => window.cur_list && cur_list.doctype === "View Log" && !cur_list.list_loading
				&& document.querySelector(".frappe-list .result, .frappe-list .no-result")"""
		)
		attendre_requetes(page)
		expect(page.locator(".page-head:visible .title-text")).to_have_text("Journal des consultations")
		premiere = lignes(page).first
		expect(premiere).to_contain_text(travailleur)
		expect(premiere).to_contain_text(monde_nv.dossier_paul)
		visible = texte_visible(page)
		assert dossier_voisin not in visible and RESPONSABLE_VOISIN not in visible
		assert STRUCTURE_VOISINE not in visible
		capture(page, "journal-consultations-responsable")
	finally:
		frappe.db.rollback()
		if ouverture_voisine:
			frappe.db.delete("View Log", {"name": ouverture_voisine})
		if dossier_voisin:
			frappe.delete_doc(
				"Beneficiaire", dossier_voisin, force=True, ignore_permissions=True, delete_permanently=True
			)
		frappe.db.commit()
