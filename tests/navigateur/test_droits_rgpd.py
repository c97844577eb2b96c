"""The right of access from the file's form: the Responsable exports the complete file as a PDF;
the erasure is offered in the form's menu, to the Responsable only."""

import io

from playwright.sync_api import expect

from tests.navigateur.donnees import CONFIDENTIEL
from tests.navigateur.outils import ARTEFACTS, boite, capture, formulaire_pret, ouvrir

BOUTON = "Droit d'accès : exporter le dossier"
EFFACER = "Effacer définitivement le dossier (RGPD)"


def test_le_responsable_exporte_le_dossier_en_pdf(onglet, roles, monde_nv):
	from pypdf import PdfReader

	page = onglet("responsable")
	dossier = monde_nv.dossier_rose
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{dossier}")
	formulaire_pret(page, "Beneficiaire")
	page.locator(".page-head:visible button", has_text=BOUTON).click()
	dialogue = boite(page)
	expect(dialogue.locator(".modal-title")).to_have_text(BOUTON)
	expect(dialogue).to_contain_text("inscrit au journal des accès")
	capture(page, "droits-rgpd-export")
	with page.expect_download() as telechargement:
		dialogue.get_by_role("button", name="Exporter", exact=True).click()
	assert telechargement.value.suggested_filename == f"droit-acces-{dossier}.pdf"
	pdf = ARTEFACTS / f"droit-acces-{dossier}.pdf"
	telechargement.value.save_as(pdf)
	lecteur = PdfReader(io.BytesIO(pdf.read_bytes()))
	texte = " ".join(" ".join(p.extract_text().split()) for p in lecteur.pages)
	for attendu in (
		f"Dossier {dossier}",
		CONFIDENTIEL["nir"],
		CONFIDENTIEL["compte_rendu_prive"],
		"Vos droits",
	):
		assert attendu in texte, attendu

	# The erasure sits in the form's menu, for the Responsable.
	page.locator(".page-head:visible .menu-btn-group button").click()
	expect(page.locator(".page-head:visible .dropdown-menu.show", has_text=EFFACER)).to_be_visible()
	page.keyboard.press("Escape")


def test_ni_export_ni_effacement_pour_l_accueil(onglet, roles, monde_nv):
	page = onglet("accueil")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_louis}")
	formulaire_pret(page, "Beneficiaire")
	expect(page.locator(".page-head:visible button", has_text=BOUTON)).to_have_count(0)
	page.locator(".page-head:visible .menu-btn-group button").click()
	expect(page.locator(".page-head:visible .dropdown-menu.show")).to_be_visible()
	expect(page.locator(".page-head:visible .dropdown-menu.show", has_text=EFFACER)).to_have_count(0)
	page.keyboard.press("Escape")
