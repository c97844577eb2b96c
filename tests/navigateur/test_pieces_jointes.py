"""A file's attachments in the form: no « Partager » (sharing is off), and a « confidentiel »
attachment that the Agent d'accueil neither sees in the sidebar nor opens by its address
(permissions/pieces_jointes.py, permissions/canaux.py)."""

import frappe
import pytest
from playwright.sync_api import expect

from tests.navigateur.outils import capture, formulaire_pret, ouvrir

ORDINAIRE = "justificatif-domicile-nv.txt"
CONFIDENTIEL = "certificat-medical-nv.txt"


@pytest.fixture
def pieces(monde_nv):
	"""Two attachments of Claire Moreau's file, committed for the web server, deleted afterwards."""
	fichiers = {}
	for nom, confidentiel in ((ORDINAIRE, 0), (CONFIDENTIEL, 1)):
		fichiers[nom] = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": nom,
				"content": f"{nom} {frappe.generate_hash()}",
				"attached_to_doctype": "Beneficiaire",
				"attached_to_name": monde_nv.dossier_claire,
				"confidentiel": confidentiel,
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	yield fichiers
	for fichier in fichiers.values():
		frappe.delete_doc("File", fichier.name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_pieces_jointes_du_dossier(onglet, roles, monde_nv, pieces):
	url_confidentielle = pieces[CONFIDENTIEL].file_url
	for role, voit in (("travailleur", True), ("accueil", False)):
		page = onglet(role)
		ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_claire}")
		formulaire_pret(page, "Beneficiaire")
		barre = page.locator(".form-sidebar:visible")
		expect(barre.locator(".form-attachments")).to_contain_text(ORDINAIRE)
		expect(barre.locator(".form-shared")).to_be_hidden()
		if voit:
			expect(barre.locator(".form-attachments")).to_contain_text(CONFIDENTIEL)
		else:
			expect(barre.locator(".form-attachments")).not_to_contain_text(CONFIDENTIEL)
		capture(page, f"pieces-jointes-{role}")
		# Its address typed in the browser: the file, or a refusal.
		reponse = page.request.get(roles.base_url + url_confidentielle)
		assert reponse.status == (200 if voit else 403), (role, reponse.status)
