"""Continuity: the Responsable records a colleague's absence in the desk, then previews the
reassignment of a leaving agent's work from the Structure form (continuite/)."""

import frappe
from frappe.utils import add_days, formatdate, today
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from suivi_social.continuite.absences import remplacant
from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import (
	attendre_enregistre,
	boite,
	capture,
	champ,
	choisir_lien,
	enregistrer,
	formulaire_pret,
	ouvrir,
	saisir,
	texte_visible,
)


def test_le_responsable_enregistre_une_absence(onglet, roles):
	theo, roxane = roles.monde.comptes["travailleur"], roles.monde.comptes["responsable"]
	page = onglet("responsable")
	ouvrir(page, roles.base_url, "/app/absence/new")
	formulaire_pret(page, "Absence")
	expect(champ(page, "structure")).to_have_value(STRUCTURE)
	# Pre-filled with the Responsable herself (an agent usually records their own absence), shown by
	# her name (User's « Show Title in Link Fields », install.afficher_le_nom_des_agents).
	expect(champ(page, "agent")).to_have_value("Roxane Navigateur")
	assert page.evaluate("() => cur_frm.doc.agent") == roxane
	champ(page, "agent").fill("")
	choisir_lien(page, "agent", "Théo")
	saisir(page, "du", formatdate(add_days(today(), -1), "dd/MM/yyyy"))
	saisir(page, "au", formatdate(add_days(today(), 3), "dd/MM/yyyy"))
	choisir_lien(page, "remplacant", "Roxane")
	# Sharing the private reports is Théo's choice, not the Responsable's.
	expect(page.locator("input[data-fieldname='partager_comptes_rendus']:visible:enabled")).to_have_count(0)
	texte = texte_visible(page)
	for libelle in ("Agent absent", "Du", "Au (inclus)", "Remplacé(e) par", "Remplacement"):
		assert libelle in texte, libelle
	capture(page, "absence-saisie")
	enregistrer(page)
	nom = attendre_enregistre(page, "absence")
	try:
		capture(page, "absence-enregistree")
		frappe.db.rollback()  # see what the web server committed
		assert frappe.db.get_value("Absence", nom, ["agent", "remplacant", "owner"]) == (theo, roxane, roxane)
		assert remplacant(theo) == roxane

		# The list shows it as ongoing.
		ouvrir(page, roles.base_url, "/app/absence")
		ligne = page.locator(".frappe-list:visible .list-row", has_text="Théo")
		expect(ligne).to_contain_text("En cours")
		capture(page, "absence-liste")
	finally:
		# Committed by the web server: the other browser tests expect Théo at work.
		frappe.delete_doc("Absence", nom, ignore_permissions=True, force=True)
		frappe.db.commit()


def test_apercu_de_la_reaffectation_depuis_la_structure(onglet, roles):
	from suivi_social.continuite.reaffectation import inventorier

	theo = roles.monde.comptes["travailleur"]
	# A rappel of Théo's, so that there is something to reassign (removed at the end).
	rappel = frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": "Relancer la mutuelle",
			"date_echeance": add_days(today(), 2),
			"assigne_a": theo,
			"structure": STRUCTURE,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	attendu = {cle: len(v) for cle, v in inventorier(STRUCTURE, theo).items()}
	try:
		page = onglet("responsable")
		ouvrir(page, roles.base_url, f"/app/structure/{STRUCTURE}")
		formulaire_pret(page, "Structure")
		page.locator(".page-head:visible .inner-group-button button", has_text="Équipe").click()
		page.locator(
			".page-head:visible .dropdown-menu.show .dropdown-item",
			has_text="Réaffecter le travail d'un agent",
		).click()
		dialogue = boite(page)
		expect(dialogue.locator(".modal-title")).to_have_text(
			f"Réaffecter le travail d'un agent de {STRUCTURE}"
		)
		choisir_lien(dialogue, "agent", "Théo")
		choisir_lien(dialogue, "collegue", "Roxane")
		# Both links validated before asking (a click while the last link still validates was lost
		# once in CI: the dialog stayed without its preview).
		page.wait_for_function(
			"() => cur_dialog && cur_dialog.get_value('agent') && cur_dialog.get_value('collegue')"
		)
		apercu = dialogue.locator(".reaffectation-apercu")
		for _ in range(3):
			dialogue.get_by_role("button", name="Voir ce qui sera réaffecté").click()
			try:
				apercu.wait_for(state="visible", timeout=5_000)
				break
			except PlaywrightTimeoutError:
				continue
		expect(apercu).to_contain_text(f"Dossiers dont l'agent est référent : {attendu['dossiers']}")
		expect(apercu).to_contain_text(f"Rappels à faire : {attendu['rappels']}")
		expect(apercu).to_contain_text(f"Rendez-vous à venir : {attendu['rendez_vous']}")
		expect(apercu).to_contain_text("Relancer la mutuelle")
		# The action is offered after the preview only; not run here (the other tests need Théo's files).
		expect(dialogue.get_by_role("button", name="Réaffecter", exact=True)).to_be_visible()
		capture(page, "reaffectation-apercu")
		dialogue.locator(".btn-modal-close").click()
	finally:
		frappe.delete_doc("Rappel", rappel.name, ignore_permissions=True, force=True)
		frappe.db.commit()
