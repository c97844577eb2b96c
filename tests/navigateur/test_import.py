"""The Responsable imports an old workbook from the desk: upload, the proposed mapping (one column
corrected), the dry run and its French report, a possible duplicate decided, the référents' table
filled, the run as a background job with its progress bar, the summary and the rejected rows to
download (README « Importer les anciens classeurs »).

The workbook is built here: two sheets under title rows, « NOM Prénom » in one column, a person on
both sheets, another on both sheets with birth years one apart, one unreadable birth date, a row
without a name, initials in a « Référent » column, a person who already has a file in the
structure, and one who is perhaps the person of another file (one letter apart). The review list
is decided in the desk: split, undone, confirmed; « not the person of this file ». The run goes
through the test server's background worker (`travailleur`)."""

import io
import json

import frappe
import openpyxl
from playwright.sync_api import expect

from tests.factories import make_beneficiaire
from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import (
	attendre_enregistre,
	attendre_requetes,
	boite,
	capture,
	champ,
	choisir_lien,
	formulaire_pret,
	ouvrir,
)

NOM_FICHIER = "anciens-tableaux-navigateur.xlsx"
FEUILLE_AIDES = "Aides financières"


def classeur() -> bytes:
	wb = openpyxl.Workbook()
	aides = wb.active
	aides.title = FEUILLE_AIDES
	aides.append(["CCAS Navigateur — aides financières 2024"])
	aides.merge_cells("A1:G1")
	aides.append(["Extrait du classeur de l'accueil"])
	aides.append([])
	aides.append(
		["NOM Prénom", "Né(e) le", "Commune", "Contact", "Montant accordé", "Date de la demande", "Référent"]
	)
	for ligne in (
		["MARTIN Jeanne", "12/03/1950", "Navigateur-Ville", "06 11 22 33 44", "150 €", "15/01/2024", "TN"],
		["PETITJEAN Paul", "03/04/1961", "Navigateur-Ville", None, 40, "20/01/2024", "TN"],
		["DUPONT Marcel", "né en 1925", "Navigateur-Ville", None, 80, "02/02/2024", None],
		[None, None, "Navigateur-Ville", None, 50, "03/03/2024", None],
		["TOTAL", None, None, None, 320, None, None],
	):
		aides.append(ligne)
	visites = wb.create_sheet("Visites")
	visites.append(["Visites de convivialité"])
	visites.append(["Nom", "Prénom", "Date de naissance", "Visite 1", "Visite 2"])
	visites.append(["Martin", "Jeanne", "12/03/1950", "10/04/2024", "12/06/2024"])
	visites.append(["BERNARD", "Lucienne", "12/05/1940", "11/04/2024", None])
	# Born in 1960 here, in 1961 on the other sheet: perhaps the same person, for a person to decide.
	visites.append(["Petitjean", "Paul", "03/04/1960", "15/04/2024", None])
	# One letter from the file of Ginette Vidal, born the same day: perhaps her, for a person to decide.
	visites.append(["VIDAL", "Ginete", "08/07/1950", "16/04/2024", None])
	sortie = io.BytesIO()
	wb.save(sortie)
	return sortie.getvalue()


def dossier_existant(nom: str = "Bernard", prenoms: str = "Lucienne", naissance: str = "1940-05-12") -> str:
	"""Lucienne Bernard already has a file in the structure: her row is merged into it. Ginette
	Vidal too: the row « VIDAL Ginete » is perhaps her."""
	frappe.db.rollback()
	existant = frappe.db.get_value(
		"Beneficiaire", {"structure": STRUCTURE, "nom_usage": nom.upper(), "prenoms": prenoms}
	)
	if not existant:
		existant = make_beneficiaire(STRUCTURE, nom_usage=nom, prenoms=prenoms, date_naissance=naissance).name
		frappe.db.commit()
	return existant


def televerser_le_classeur(page, chemin) -> str:
	"""The workbook, private (the default of the upload dialog), in the new import's « Fichier »
	field: the import is saved at once; returns its name."""
	page.locator(".frappe-control[data-fieldname='fichier']:visible button.btn-attach").click()
	televersement = boite(page)
	televersement.locator(".file-uploader input[type='file']").set_input_files(str(chemin))
	expect(televersement.locator(".file-preview")).to_contain_text(chemin.name)
	televersement.locator(".modal-footer .btn-primary").click()
	nom = attendre_enregistre(page, "import-classeur")
	formulaire_pret(page, "Import Classeur")
	return nom


def bouton(page, libelle: str):
	"""A button of the form's toolbar (the steps of the import)."""
	return page.locator(".page-head:visible").get_by_role("button", name=libelle, exact=True)


def feuille(page, nom: str):
	return page.locator(".ic-feuille:visible", has=page.locator("h4", has_text=f"Feuille « {nom} »"))


def colonne(page, nom_feuille: str, entete: str):
	return feuille(page, nom_feuille).locator("tr", has=page.locator("th", has_text=entete))


def verifier_comptes(
	page, essai, importees: int, a_verifier: int, personnes: int, aides_importees: int
) -> None:
	"""The dry run's counts as the Responsable reads them: per outcome, in a sentence, per sheet."""
	attendre_requetes(page)
	for issue, libelle, nombre in (
		("imported", "Importées", importees),
		("merged", "Fusionnées avec un dossier existant", 1),
		("review", "À vérifier", a_verifier),
		("rejected", "Rejetées", 1),
		("total", "Total", 8),
	):
		ligne = essai.locator(f".ic-comptes tr[data-issue='{issue}']")
		expect(ligne).to_contain_text(libelle)
		expect(ligne.locator("td")).to_have_text(str(nombre))
	expect(essai.locator(".ic-phrase")).to_have_text(
		f"L'import créera {personnes} dossiers, complétera 1 dossiers existants et créera 8 accompagnements."
	)
	expect(essai.locator(f".ic-par-feuille tr[data-feuille='{FEUILLE_AIDES}'] td")).to_have_text(
		["4", str(aides_importees), "0", str(3 - aides_importees), "1"]
	)


def test_import_d_un_classeur_par_le_responsable(onglet, roles, travailleur, tmp_path):
	bernard = dossier_existant()
	vidal = dossier_existant("Vidal", "Ginette", "1950-07-08")
	chemin = tmp_path / NOM_FICHIER
	chemin.write_bytes(classeur())

	page = onglet("responsable")
	ouvrir(page, roles.base_url, "/app/import-classeur/new")
	formulaire_pret(page, "Import Classeur")
	expect(champ(page, "structure")).to_have_value(STRUCTURE)
	capture(page, "import-1-nouveau")

	nom = televerser_le_classeur(page, chemin)

	# « Analyser le classeur »: each sheet, its columns, sample values and proposed field.
	bouton(page, "Analyser le classeur").click()
	correspondance = page.locator(".form-dashboard-section.ic-correspondance:visible")
	expect(correspondance).to_contain_text(f"Feuille « {FEUILLE_AIDES} »")
	expect(correspondance).to_contain_text("Feuille « Visites »")
	nom_prenom = colonne(page, FEUILLE_AIDES, "NOM Prénom")
	expect(nom_prenom).to_contain_text("MARTIN Jeanne")
	expect(nom_prenom.get_by_label("Champ rempli par la colonne « NOM Prénom »")).to_have_value("nom_prenom")
	expect(colonne(page, "Visites", "Visite 2").locator("select")).to_have_value("date_repetee")
	contact = colonne(page, FEUILLE_AIDES, "Contact").get_by_label("Champ rempli par la colonne « Contact »")
	expect(contact).to_have_value("note")
	expect(
		feuille(page, FEUILLE_AIDES).get_by_label("Ses lignes deviennent des accompagnements de type")
	).to_have_value(roles.monde.type_aide)
	capture(page, "import-2-correspondance-proposee")

	# The « Contact » column holds phone numbers: corrected.
	contact.select_option(label="Téléphone")
	expect(colonne(page, FEUILLE_AIDES, "Contact")).to_contain_text("choisi par vous")
	capture(page, "import-3-correspondance-corrigee")

	# The dry run (the form is saved first): counts in French, per sheet, and row by row.
	bouton(page, "Faire un essai").click()
	essai = page.locator(".form-dashboard-section.ic-essai:visible")
	verifier_comptes(page, essai, importees=2, a_verifier=4, personnes=5, aides_importees=1)
	expect(essai.locator(f".ic-par-feuille tr[data-feuille='{FEUILLE_AIDES}']")).to_contain_text(
		"Ligne 9 ignorée : ligne de total"
	)
	capture(page, "import-4-essai")

	# The review list: each possible duplicate is decided; the dry run is done again at each click.
	doublons = essai.locator(".ic-doublons")
	expect(doublons.locator("h5")).to_have_text("Doublons possibles à vérifier (2)")
	petitjean = doublons.locator("li[data-cas]", has_text="PETITJEAN Paul")
	expect(petitjean).to_contain_text(
		f"feuille {FEUILLE_AIDES}, ligne 6 (PETITJEAN Paul) et feuille Visites, ligne 5 (PETITJEAN Paul)"
	)
	expect(petitjean).to_contain_text("dates de naissance à un chiffre près")
	# Two persons, says the Responsable first: each row its own file, nothing left to review.
	petitjean.get_by_role("button", name="Personnes distinctes").click()
	prises = doublons.locator(".ic-decisions li")
	expect(prises).to_have_count(1)
	expect(prises).to_contain_text("(PETITJEAN Paul) : personnes distinctes")
	verifier_comptes(page, essai, importees=4, a_verifier=2, personnes=5, aides_importees=2)
	# Then thinks again: the decision is undone, the pair is back on the list.
	prises.get_by_role("button", name="Annuler").click()
	expect(doublons.locator(".ic-decisions li")).to_have_count(0)
	verifier_comptes(page, essai, importees=2, a_verifier=4, personnes=5, aides_importees=1)
	doublons.locator("li[data-cas]", has_text="PETITJEAN Paul").get_by_role(
		"button", name="Même personne"
	).click()
	expect(doublons.locator(".ic-decisions li")).to_contain_text("(PETITJEAN Paul) : même personne")
	verifier_comptes(page, essai, importees=4, a_verifier=2, personnes=4, aides_importees=2)
	# « VIDAL Ginete » is not the Ginette Vidal of the existing file: a new file, not to review.
	cas_vidal = doublons.locator("li[data-cas]", has_text="VIDAL Ginete")
	expect(cas_vidal).to_contain_text(f"Peut-être la personne du dossier existant {vidal} — VIDAL Ginette")
	expect(cas_vidal).to_contain_text("même date de naissance (une lettre diffère dans le prénom)")
	cas_vidal.get_by_role("button", name="Ce n'est pas cette personne").click()
	expect(doublons.locator(".ic-decisions li")).to_have_count(2)
	expect(doublons.locator(".ic-decisions")).to_contain_text(
		f"feuille Visites, ligne 6 (VIDAL Ginete) : pas la personne du dossier {vidal}"
	)
	expect(doublons.locator("li[data-cas]")).to_have_count(0)
	expect(doublons).to_contain_text("Tous les doublons possibles sont décidés.")
	capture(page, "import-4b-doublons-decides")
	verifier_comptes(page, essai, importees=5, a_verifier=1, personnes=4, aides_importees=2)

	# « TN » in the Référent column: the structure's table, filled once, says who it is.
	referents = essai.locator(".ic-referents")
	expect(referents).to_contain_text("TN")
	referents.get_by_role("button", name="Associer les référents à des agents").click()
	dialogue = boite(page)
	choisir_lien(dialogue, "code_0", "Théo", "Théo Navigateur")
	capture(page, "import-5-referents")
	dialogue.get_by_role("button", name="Enregistrer et refaire l'essai").click()
	expect(essai.locator(".ic-referents")).to_have_count(0)
	verifier_comptes(page, essai, importees=5, a_verifier=1, personnes=4, aides_importees=2)
	essai.get_by_label("Afficher").select_option("review")
	expect(essai.locator(".ic-lignes tbody tr")).to_have_count(1)
	expect(essai.locator(".ic-lignes tbody tr")).to_contain_text(
		f"Feuille {FEUILLE_AIDES}, ligne 7, colonne « Né(e) le » : « né en 1925 » n'est pas une date"
	)
	expect(essai.locator("[data-position]")).to_have_text("Lignes 1 à 1 sur 1")
	capture(page, "import-6-essai-decide")

	frappe.db.rollback()
	doc = frappe.get_doc("Import Classeur", nom)
	assert (doc.statut, doc.lignes_total) == ("Analysé", 8)
	fichier = frappe.get_all(
		"File", {"file_url": doc.fichier, "attached_to_name": nom}, ["is_private", "attached_to_doctype"]
	)
	assert fichier == [{"is_private": 1, "attached_to_doctype": "Import Classeur"}]
	aides = next(r for r in doc.feuilles if r.nom_feuille == FEUILLE_AIDES)
	assert {c["entete"]: c["cible"] for c in json.loads(aides.correspondance)}["Contact"] == "telephone"
	assert json.loads(doc.decisions) == [
		{"lignes": [[FEUILLE_AIDES, 2], ["Visites", 3]], "decision": "meme"},
		{"lignes": [["Visites", 4]], "decision": "distinctes", "dossier": vidal},
	]
	travailleur_social = roles.monde.comptes["travailleur"]
	assert (
		frappe.db.get_value("Correspondance Referent", {"structure": STRUCTURE, "code": "TN"}, "utilisateur")
		== travailleur_social
	)

	# The run: a background job, its progress bar, then the summary. The job's progress reaches the
	# page through realtime (worker → Redis → socket.io → the document's room).
	page.evaluate(
		"""() => {
			window.__progressions = [];
			frappe.realtime.on("import_classeur_progression", (d) => window.__progressions.push(d));
		}"""
	)
	bouton(page, "Lancer l'import").click()
	confirmation = boite(page)
	expect(confirmation).to_contain_text(
		f"Importer 7 lignes du classeur « {NOM_FICHIER} » dans la structure « {STRUCTURE} »"
	)
	confirmation.get_by_role("button", name="Oui").click()
	barre = page.locator(".form-dashboard:visible .progress[role='progressbar']")
	expect(barre).to_be_visible()
	capture(page, "import-7-progression")
	resultat = page.locator(".form-dashboard-section.ic-resultat:visible")
	expect(resultat).to_be_visible(timeout=60_000)
	expect(barre).to_have_attribute("aria-valuenow", "100")
	page.wait_for_function(
		"""(nom) => window.__progressions.some((d) => d.import_classeur === nom && d.statut === "Terminé")
			&& window.__progressions.some((d) => d.import_classeur === nom && d.progression === 100)""",
		arg=nom,
	)
	expect(page.locator(".form-dashboard:visible .progress-message")).to_contain_text("100 %")
	for cle, nombre in (
		("personnes_creees", "4"),
		("personnes_existantes", "1"),
		("accompagnements_crees", "8"),
		("lignes_a_verifier", "1"),
		("lignes_rejetees", "1"),
	):
		expect(resultat.locator(f"tr[data-chiffre='{cle}'] td")).to_have_text(nombre)
	expect(resultat).to_contain_text("Dossiers existants complétés")
	lien = resultat.get_by_role("link", name="Télécharger les lignes rejetées (Excel)")
	expect(lien).to_have_attribute("href", f"/private/files/lignes-rejetees-{nom}.xlsx")
	capture(page, "import-8-resultat")

	# The rejected rows, with their reason, to fix and import again.
	with page.expect_download() as telechargement:
		lien.click()
	assert telechargement.value.suggested_filename == f"lignes-rejetees-{nom}.xlsx"
	rejets = openpyxl.load_workbook(io.BytesIO(telechargement.value.path().read_bytes()))
	lignes = list(rejets[FEUILLE_AIDES].iter_rows(values_only=True))
	assert lignes[0][-2:] == ("Motif du rejet", "Ligne d'origine")
	assert "le nom de la personne est vide" in lignes[1][-2] and lignes[1][-1] == 8

	frappe.db.rollback()
	doc = frappe.get_doc("Import Classeur", nom)
	assert (doc.statut, doc.progression) == ("Terminé", 100)
	assert doc.lance_par == roles.monde.comptes["responsable"]
	importes = ("MARTIN", "DUPONT", "PETITJEAN")
	assert frappe.db.count("Beneficiaire", {"structure": STRUCTURE, "nom_usage": ("in", importes)}) == 3
	assert frappe.db.count("Accompagnement", {"beneficiaire": bernard}) == 1
	# « VIDAL Ginete » is a new file, as decided; the existing file of Ginette Vidal is untouched.
	assert frappe.db.count("Accompagnement", {"beneficiaire": vidal}) == 0
	assert frappe.db.exists("Beneficiaire", {"structure": STRUCTURE, "nom_complet": "VIDAL Ginete"})
	# Paul Petitjean's two rows are one file; the accompaniments of « TN » went to Théo.
	petitjean = frappe.db.get_value("Beneficiaire", {"structure": STRUCTURE, "nom_usage": "PETITJEAN"})
	assert frappe.db.count("Accompagnement", {"beneficiaire": petitjean}) == 2
	assert (
		frappe.db.get_value("Accompagnement", {"beneficiaire": petitjean, "montant_accorde": 40}, "agent")
		== travailleur_social
	)
	# The confirmed mapping is the structure's template for these headers.
	modele = frappe.db.get_value(
		"Modele Import", {"structure": STRUCTURE, "nom_feuille": FEUILLE_AIDES}, "correspondance"
	)
	assert json.loads(modele)["contact"] == "telephone"
