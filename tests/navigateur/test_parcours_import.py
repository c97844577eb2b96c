"""The Administrateur Suivi social imports a CCAS's legacy workbook (issue 11 §1, journey e): an
Excel 97-2003 file (.xls, as old CCAS files are; tests/imports/donnees/anciens.xls), for the
structure chosen in the new import (the Administrateur belongs to none), analysed, tried, then run
as a background job (the test server's worker: `travailleur`); the files it created are in the
structure's list.

test_import.py walks every step of the wizard as the Responsable (mapping corrections, duplicates,
référents, rejected rows); this journey is the short path of the other role, on the other format.
What the import writes goes with the next session's nettoyer()."""

import re
import shutil
from pathlib import Path

import frappe
from playwright.sync_api import expect

from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import (
	attendre_requetes,
	boite,
	capture,
	champ,
	choisir_lien,
	formulaire_pret,
	ouvrir,
	texte_visible,
)
from tests.navigateur.test_import import bouton, feuille, televerser_le_classeur

CLASSEUR = Path(__file__).resolve().parents[1] / "imports" / "donnees" / "anciens.xls"


def test_l_administrateur_importe_un_ancien_classeur(onglet, roles, travailleur, tmp_path):
	chemin = tmp_path / "anciens-navigateur.xls"
	shutil.copy(CLASSEUR, chemin)

	page = onglet("administrateur")
	ouvrir(page, roles.base_url, "/app/import-classeur/new")
	formulaire_pret(page, "Import Classeur")
	# No structure of her own: she chooses it (« CCAS Navigateur Voisin » is offered too).
	choisir_lien(page, "structure", STRUCTURE, re.compile(rf"^\s*{STRUCTURE}(?!\s*Voisin)"))
	expect(champ(page, "structure")).to_have_value(STRUCTURE)
	nom = televerser_le_classeur(page, chemin)
	capture(page, "parcours-import-1-classeur")

	bouton(page, "Analyser le classeur").click()
	correspondance = page.locator(".form-dashboard-section.ic-correspondance:visible")
	expect(correspondance).to_contain_text("Feuille « Aides 2019 »")
	expect(correspondance).to_contain_text("Feuille « Visites »")
	expect(feuille(page, "Aides 2019")).to_contain_text("LÉVÊQUE")
	capture(page, "parcours-import-2-correspondance")

	bouton(page, "Faire un essai").click()
	essai = page.locator(".form-dashboard-section.ic-essai:visible")
	# The aid sheet has no date column: its rows cannot be dated and are rejected, with the reason
	# in French; the visits sheet makes one file and two accompaniments.
	expect(essai.locator(".ic-comptes tr[data-issue='imported'] td")).to_have_text("1")
	expect(essai.locator(".ic-comptes tr[data-issue='rejected'] td")).to_have_text("2")
	expect(essai.locator(".ic-phrase")).to_contain_text("et créera 2 accompagnements.")
	expect(essai).to_contain_text(
		"Feuille Aides 2019, ligne 4 : pas de date lisible pour l'accompagnement (aucune colonne de date)"
	)
	expect(essai).to_contain_text("Ligne 7 ignorée : ligne de total")
	attendre_requetes(page)
	capture(page, "parcours-import-3-essai")

	bouton(page, "Lancer l'import").click()
	confirmation = boite(page)
	expect(confirmation).to_contain_text(f"dans la structure « {STRUCTURE} »")
	confirmation.get_by_role("button", name="Oui").click()
	resultat = page.locator(".form-dashboard-section.ic-resultat:visible")
	expect(resultat).to_be_visible(timeout=60_000)
	for cle, nombre in (("personnes_creees", "1"), ("accompagnements_crees", "2"), ("lignes_rejetees", "2")):
		expect(resultat.locator(f"tr[data-chiffre='{cle}'] td")).to_have_text(nombre)
	expect(resultat.get_by_role("link", name="Télécharger les lignes rejetées (Excel)")).to_be_visible()
	capture(page, "parcours-import-4-resultat")

	frappe.db.rollback()
	doc = frappe.get_doc("Import Classeur", nom)
	assert (doc.statut, doc.structure, doc.lance_par) == (
		"Terminé",
		STRUCTURE,
		roles.monde.comptes["administrateur"],
	)
	martin = frappe.db.get_value("Beneficiaire", {"structure": STRUCTURE, "nom_complet": "MARTIN Léa"})
	assert martin, "Le dossier de Léa Martin n'a pas été créé"
	visites = frappe.get_all("Accompagnement", {"beneficiaire": martin}, pluck="date", order_by="date")
	assert [v.isoformat() for v in visites] == ["2024-01-15", "2024-03-15"]
	assert not frappe.db.exists("Beneficiaire", {"structure": STRUCTURE, "nom_complet": "LÉVÊQUE Madeleine"})

	# The structure's files (she reads every structure) list her; her file shows the two visits, dates as dd/mm/yyyy.
	ouvrir(page, roles.base_url, "/app/beneficiaire?structure=CCAS%20Navigateur&prenoms=L%C3%A9a")
	ligne = page.locator(".frappe-list .list-row-container:visible", has_text="MARTIN Léa")
	expect(ligne).to_have_count(1)
	ligne.locator("a.ellipsis").first.click()
	formulaire_pret(page, "Beneficiaire")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("MARTIN Léa")
	historique = page.locator(".new-timeline:visible")
	expect(historique).to_contain_text("15/01/2024")
	assert "2024-01-15" not in texte_visible(page)
	capture(page, "parcours-import-5-dossier-importe")
