"""Each role logs in through the real login page and lands on the « Suivi social » workspace (the
Agent d'accueil on the Accueil page, one shortcut from it), in French. The context of this login is
the one the role's later tests reuse."""

import pytest
from playwright.sync_api import expect

from tests.navigateur.outils import capture, ouvrir

ACCUEIL = ("Au quotidien", "Dossiers", "Accompagnements", "Rendez-vous à venir", "Mes rappels")


@pytest.mark.parametrize("role", ["travailleur", "responsable", "accueil", "administrateur"])
def test_connexion_par_la_page_de_connexion(onglet, roles, role):
	page = onglet(role, connexion=True)
	if role == "accueil":
		# The Agent d'accueil lands on the Accueil page (accueil/connexion.py); the workspace is a
		# shortcut away.
		page.wait_for_url("**/app/accueil")
		expect(page.get_by_label("Rechercher une personne")).to_be_focused()
		ouvrir(page, roles.base_url, "/app/suivi-social")
	page.wait_for_url("**/app/suivi-social")
	espace = page.locator(".layout-main-section:visible")
	for texte in ACCUEIL:
		expect(espace.get_by_text(texte, exact=True).first).to_be_visible()
	# The user menu shows the person's initials, from the full name.
	prenom = {"travailleur": "Théo", "responsable": "Roxane", "accueil": "Alice", "administrateur": "Adrien"}
	expect(page.locator(".navbar .avatar-frame").first).to_have_attribute(
		"title", f"{prenom[role]} Navigateur"
	)
	capture(page, f"connexion-{role}")
