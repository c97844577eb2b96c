"""Realtime reaches the desk: the socket.io connection succeeds, and a file open in the browser
reloads when someone else saves it (Frappe's doc_update event: Redis, then node, then the page).

For the connection to succeed, the test server runs with DEV_SERVER=1 and node with FRAPPE_SITE
(see serveur.py and the `serveur` fixture)."""

import re
import time

import frappe
from playwright.sync_api import expect

from tests.navigateur.outils import JOURNAL_WEB, capture, champ, formulaire_pret, ouvrir


def attendre_abonnement(docname: str, delai: float = 15) -> None:
	"""Node joins the page to the document's room once the web server allowed it
	(frappe.realtime.can_subscribe_doc, called back with the page's session)."""
	fin = time.monotonic() + delai
	while time.monotonic() < fin:
		if re.search(
			rf'can_subscribe_doc\?\S*docname={re.escape(docname)} HTTP/1\.1" 200', JOURNAL_WEB.read_text()
		):
			time.sleep(0.5)
			return
		time.sleep(0.2)
	raise AssertionError(f"Le serveur temps réel n'a pas abonné la page au dossier {docname}")


def test_connexion_temps_reel_et_mise_a_jour_d_un_dossier_ouvert(onglet, roles, monde_nv):
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_claire}")
	formulaire_pret(page, "Beneficiaire")
	page.wait_for_function("() => frappe.realtime.socket && frappe.realtime.socket.connected")
	attendre_abonnement(monde_nv.dossier_claire)

	frappe.db.rollback()
	dossier = frappe.get_doc("Beneficiaire", monde_nv.dossier_claire)
	dossier.lieu_naissance = "Villeneuve-sur-Lot"
	dossier.save(ignore_permissions=True)
	frappe.db.commit()  # doc_update is published after the commit

	expect(champ(page, "lieu_naissance")).to_have_value("Villeneuve-sur-Lot")
	capture(page, "temps-reel-dossier-mis-a-jour")
