"""Each agent's sidebar shows the app's workspaces only, none of Frappe's own (Utilisateurs, Site Web,
Outils, Intégrations, Build): suivi_social/setup/espaces.py."""

import pytest
from playwright.sync_api import expect

from tests.navigateur.outils import attendre_desk, capture, ouvrir

# Frappe's workspaces, in English and in French as the sidebar may name them.
ESPACES_FRAPPE = (
	"Users",
	"Utilisateurs",
	"Website",
	"Site Web",
	"Tools",
	"Outils",
	"Integrations",
	"Intégrations",
	"Build",
)


@pytest.mark.parametrize("role", ["travailleur", "responsable", "accueil", "administrateur"])
def test_la_barre_laterale_ne_montre_que_les_espaces_de_l_application(onglet, roles, role):
	page = onglet(role)
	ouvrir(page, roles.base_url, "/app/suivi-social")
	attendre_desk(page)
	libelles = page.locator(".desk-sidebar .sidebar-item-label")
	expect(libelles.filter(has_text="Suivi social")).to_have_count(1)
	visibles = [t.strip() for t in libelles.all_inner_texts()]
	assert not set(visibles) & set(ESPACES_FRAPPE), visibles
	# The workspace itself drawn (its blocks), for the screenshot.
	expect(page.locator(".layout-main-section .ce-block").first).to_be_visible()
	capture(page, f"barre-laterale-{role}")
