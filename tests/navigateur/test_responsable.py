"""The Responsable de structure: a new typology, a colleague invited from the Structure form."""

import re

import frappe
from playwright.sync_api import expect

from suivi_social.roles import AGENT_ACCUEIL
from tests.navigateur.donnees import INVITE, STRUCTURE
from tests.navigateur.outils import (
	attendre_enregistre,
	boite,
	capture,
	champ,
	choisir,
	enregistrer,
	formulaire_pret,
	ouvrir,
	saisir,
)


def test_creer_un_type_d_accompagnement(onglet, roles):
	page = onglet("responsable")
	ouvrir(page, roles.base_url, "/app/type-accompagnement/new")
	formulaire_pret(page, "Type Accompagnement")
	expect(champ(page, "structure")).to_have_value(STRUCTURE)
	saisir(page, "nom", "Aide au transport")
	page.locator(".frappe-control[data-fieldname='aide_financiere']:visible label").click()
	expect(page.locator("input[data-fieldname='aide_financiere']:visible")).to_be_checked()
	enregistrer(page)
	nom = attendre_enregistre(page, "type-accompagnement")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Aide au transport")
	capture(page, "responsable-type-enregistre")

	frappe.db.rollback()
	assert frappe.db.get_value(
		"Type Accompagnement", nom, ["structure", "nom", "aide_financiere", "actif"], as_dict=True
	) == {"structure": STRUCTURE, "nom": "Aide au transport", "aide_financiere": 1, "actif": 1}

	# The list of typologies shows it, among the structure's own.
	ouvrir(page, roles.base_url, "/app/type-accompagnement")
	expect(page.locator(".frappe-list:visible .list-row", has_text="Aide au transport")).to_have_count(1)


def test_inviter_un_collegue(onglet, roles):
	page = onglet("responsable")
	surveillance = roles.surveillances[page]
	ouvrir(page, roles.base_url, f"/app/structure/{STRUCTURE}")
	formulaire_pret(page, "Structure")
	equipe = page.locator(".form-dashboard-section:visible", has_text="Équipe")
	expect(equipe).to_contain_text("Théo Navigateur")

	page.locator(".page-head:visible .inner-group-button button", has_text="Équipe").click()
	page.locator(
		".page-head:visible .dropdown-menu.show .dropdown-item", has_text="Inviter un collègue"
	).click()
	invitation = boite(page)
	expect(invitation.locator(".modal-title")).to_have_text(f"Inviter un collègue dans {STRUCTURE}")
	saisir(invitation, "email", INVITE)
	saisir(invitation, "prenom", "Alice")
	saisir(invitation, "nom", "Martin")
	choisir(invitation, "role", AGENT_ACCUEIL)
	capture(page, "responsable-invitation")
	invitation.get_by_role("button", name="Inviter", exact=True).click()
	expect(page.locator(".alert-message", has_text=f"{INVITE} a été ajouté(e) à l'équipe")).to_be_visible()

	# The test site has no outgoing e-mail account: the Responsable gets the link to pass on.
	lien = boite(page)
	expect(lien.locator(".modal-title")).to_have_text("Première connexion de Alice Martin")
	expect(lien).to_contain_text("transmettez ce lien à votre collègue")
	expect(lien.get_by_label("Lien de première connexion")).to_have_value(
		re.compile(r"/update-password\?key=\w+")
	)
	capture(page, "responsable-lien-premiere-connexion")
	lien.locator(".btn-modal-close").click()

	# The team table of the reloaded form lists her with her role.
	ligne = page.locator(".form-dashboard-section:visible tr", has_text=INVITE)
	expect(ligne).to_contain_text("Alice Martin")
	expect(ligne).to_contain_text(AGENT_ACCUEIL)
	capture(page, "responsable-equipe")

	frappe.db.rollback()
	assert frappe.db.get_value("User", INVITE, "enabled") == 1
	assert AGENT_ACCUEIL in frappe.get_roles(INVITE)
	assert frappe.get_all("User Permission", {"user": INVITE, "allow": "Structure"}, pluck="for_value") == [
		STRUCTURE
	]

	# Nothing else to read: a second Alice in the team is nothing unusual (no username warning),
	# and no English « Please setup default outgoing Email Account ».
	autres = [m for m in surveillance.messages if not m.startswith("Première connexion de")]
	assert not autres, "Messages affichés pendant l'invitation :\n" + "\n".join(autres)
