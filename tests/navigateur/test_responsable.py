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


def creer_un_type_d_accompagnement(page, base_url: str, libelle: str, capture_nom: str) -> str:
	"""The Responsable's new typology, an aid: her structure filled in, the box ticked, saved."""
	ouvrir(page, base_url, "/app/type-accompagnement/new")
	formulaire_pret(page, "Type Accompagnement")
	expect(champ(page, "structure")).to_have_value(STRUCTURE)
	saisir(page, "nom", libelle)
	page.locator(".frappe-control[data-fieldname='aide_financiere']:visible label").click()
	expect(page.locator("input[data-fieldname='aide_financiere']:visible")).to_be_checked()
	enregistrer(page)
	nom = attendre_enregistre(page, "type-accompagnement")
	expect(page.locator(".page-head:visible .title-text")).to_have_text(libelle)
	capture(page, capture_nom)
	return nom


def test_creer_un_type_d_accompagnement(onglet, roles):
	page = onglet("responsable")
	nom = creer_un_type_d_accompagnement(
		page, roles.base_url, "Aide au transport", "responsable-type-enregistre"
	)

	frappe.db.rollback()
	assert frappe.db.get_value(
		"Type Accompagnement", nom, ["structure", "nom", "aide_financiere", "actif"], as_dict=True
	) == {"structure": STRUCTURE, "nom": "Aide au transport", "aide_financiere": 1, "actif": 1}

	# The list of typologies shows it, among the structure's own.
	ouvrir(page, roles.base_url, "/app/type-accompagnement")
	expect(page.locator(".frappe-list:visible .list-row", has_text="Aide au transport")).to_have_count(1)


def inviter_un_collegue(
	page, base_url: str, email: str, prenom: str, nom: str, role: str, prefixe: str
) -> str:
	"""From the Structure form's « Équipe » menu; returns the first-login link the Responsable is
	given to pass on (the test site has no outgoing e-mail account)."""
	ouvrir(page, base_url, f"/app/structure/{STRUCTURE}")
	formulaire_pret(page, "Structure")
	equipe = page.locator(".form-dashboard-section:visible", has_text="Équipe")
	expect(equipe).to_contain_text("Théo Navigateur")

	page.locator(".page-head:visible .inner-group-button button", has_text="Équipe").click()
	page.locator(
		".page-head:visible .dropdown-menu.show .dropdown-item", has_text="Inviter un collègue"
	).click()
	invitation = boite(page)
	expect(invitation.locator(".modal-title")).to_have_text(f"Inviter un collègue dans {STRUCTURE}")
	saisir(invitation, "email", email)
	saisir(invitation, "prenom", prenom)
	saisir(invitation, "nom", nom)
	choisir(invitation, "role", role)
	capture(page, f"{prefixe}-invitation")
	invitation.get_by_role("button", name="Inviter", exact=True).click()
	expect(page.locator(".alert-message", has_text=f"{email} a été ajouté(e) à l'équipe")).to_be_visible()

	lien = boite(page)
	expect(lien.locator(".modal-title")).to_have_text(f"Première connexion de {prenom} {nom}")
	expect(lien).to_contain_text("transmettez ce lien à votre collègue")
	adresse = lien.get_by_label("Lien de première connexion")
	expect(adresse).to_have_value(re.compile(r"/update-password\?key=\w+"))
	capture(page, f"{prefixe}-lien-premiere-connexion")
	valeur = adresse.input_value()
	lien.locator(".btn-modal-close").click()
	return valeur


def test_inviter_un_collegue(onglet, roles):
	page = onglet("responsable")
	surveillance = roles.surveillances[page]
	inviter_un_collegue(page, roles.base_url, INVITE, "Alice", "Martin", AGENT_ACCUEIL, "responsable")

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
