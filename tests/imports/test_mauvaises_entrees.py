"""Bad input: each gets a clear French message and leaves the database as it was."""

import io
import os

import frappe
import openpyxl
import pytest

from suivi_social.imports import cli, service
from suivi_social.imports.ecriture import Transaction
from suivi_social.imports.erreurs import ImportImpossible
from tests.imports.outils import xlsx


def etat(structure: str) -> tuple:
	return (
		frappe.db.count("Import Classeur"),
		frappe.db.count("Beneficiaire", {"structure": structure}),
		frappe.db.count("Accompagnement", {"structure": structure}),
		frappe.db.count("File"),
		frappe.db.count("Type Accompagnement", {"structure": structure}),
	)


def importer(structure_import, chemin, essai=False):
	return cli.importer(
		str(chemin),
		structure_import.nom,
		essai=essai,
		user=structure_import.resp,
		transaction=Transaction(valider=False),
		afficher=lambda _t: None,
	)


def refuse(structure_import, tmp_path, nom: str, contenu: bytes, message: str):
	chemin = tmp_path / nom
	chemin.write_bytes(contenu)
	avant = etat(structure_import.nom)
	for essai in (True, False):
		with pytest.raises(ImportImpossible) as erreur:
			importer(structure_import, chemin, essai)
		assert message in str(erreur.value), str(erreur.value)
	assert etat(structure_import.nom) == avant


def classeur_chiffre() -> bytes:
	from msoffcrypto.format.ooxml import OOXMLFile

	sortie = io.BytesIO()
	OOXMLFile(io.BytesIO(xlsx({"F": [["Nom", "Prénom"], ["A", "B"]]}))).encrypt("secret", sortie)
	return sortie.getvalue()


@pytest.mark.parametrize(
	"nom, contenu, message",
	[
		("vide.xlsx", b"", "est vide"),
		("vide.csv", b"   \n\n", "ne contient aucune donnée"),
		("corrompu.xlsx", os.urandom(4000), "n'est pas un classeur Excel valide"),
		(
			"tronque.xlsx",
			xlsx({"F": [["Nom", "Prénom"], ["A", "B"]]})[:1500],
			"n'est pas un classeur Excel valide",
		),
		("faux.xls", b"Nom;Prenom\nA;B\n", "format différent de son extension"),
		("image.png", b"\x89PNG\r\n\x1a\n", "n'est pas un classeur : formats acceptés"),
		(
			"sans-tableau.xlsx",
			xlsx({"F": [["Rien que des chiffres"], [1], [2]]}),
			"ne contient pas de tableau",
		),
	],
	ids=["vide", "csv-vide", "corrompu", "tronque", "faux-xls", "image", "sans-tableau"],
)
def test_fichiers_illisibles(structure_import, tmp_path, nom, contenu, message):
	refuse(structure_import, tmp_path, nom, contenu, message)


def test_classeur_protege_par_mot_de_passe(structure_import, tmp_path):
	refuse(structure_import, tmp_path, "protege.xlsx", classeur_chiffre(), "est protégé par un mot de passe")


def test_fichier_de_50_mo(structure_import, tmp_path):
	refuse(
		structure_import,
		tmp_path,
		"enorme.xlsx",
		b"PK\x03\x04" + b"0" * (50 * 1024 * 1024),
		"fait 50 Mo : la limite est de 25 Mo",
	)


def test_feuille_de_100_colonnes_importee_au_dela_refusee(structure_import, tmp_path):
	entetes = ["Nom", "Prénom", "Date", *(f"Info {i}" for i in range(4, 101))]
	ligne = ["MARTIN", "Léa", "01/02/2024", *(f"v{i}" for i in range(4, 101))]
	chemin = tmp_path / "large.xlsx"
	chemin.write_bytes(xlsx({"Large": [entetes, ligne]}))
	rapport = importer(structure_import, chemin, essai=True)
	assert rapport["resume"]["importees"] == 1
	assert len(rapport["feuilles"][0]["colonnes"]) == 100
	refuse(
		structure_import,
		tmp_path,
		"trop-large.xlsx",
		xlsx({"Trop large": [[*entetes, "Info 101"], [*ligne, "v101"]]}),
		"a 101 colonnes remplies ; au-delà de 100, elle n'est pas importée",
	)


def test_formules_et_erreurs(structure_import, tmp_path):
	chemin = tmp_path / "formules.xlsx"
	chemin.write_bytes(
		xlsx(
			{
				"F": [
					["Nom", "Prénom", "Date", "Montant accordé"],
					["MARTIN", "Léa", "01/02/2024", "#REF!"],
					["#N/A", "Paul", "01/02/2024", 10],
				]
			}
		)
	)
	rapport = importer(structure_import, chemin)
	lignes = rapport["lignes"]
	assert [l["outcome"] for l in lignes] == ["review", "rejected"]
	assert (
		"colonne « Montant accordé » : « #REF! » est une erreur de formule du tableur : valeur laissée vide"
		in lignes[0]["reasons"][0]
	)
	assert "colonne « Nom » : « #N/A » est une erreur de formule du tableur" in lignes[1]["reasons"][0]
	accompagnement = frappe.get_all(
		"Accompagnement", filters={"beneficiaire": lignes[0]["beneficiaire"]}, fields=["montant_accorde"]
	)
	assert accompagnement == [{"montant_accorde": 0.0}]


def test_csv_windows_1252(structure_import, tmp_path):
	chemin = tmp_path / "export.csv"
	chemin.write_bytes(
		"Nom;Prénom;Commune;Date\nLÉVÊQUE;Hélène;Saint-Léger-sous-Beuvray;01/02/2024\n".encode("cp1252")
	)
	rapport = importer(structure_import, chemin)
	dossier = frappe.db.get_value(
		"Beneficiaire", rapport["lignes"][0]["beneficiaire"], ["nom_usage", "prenoms", "commune"]
	)
	assert dossier == ("LÉVÊQUE", "Hélène", "Saint-Léger-sous-Beuvray")


def test_cellule_de_10000_caracteres(structure_import, tmp_path):
	chemin = tmp_path / "long.xlsx"
	chemin.write_bytes(
		xlsx(
			{"F": [["Nom", "Prénom", "Date", "Observations"], ["MARTIN", "Léa", "01/02/2024", "é" * 10_000]]}
		)
	)
	avant = etat(structure_import.nom)[1:3]
	rapport = importer(structure_import, chemin)
	assert rapport["lignes"][0]["outcome"] == "rejected"
	assert "la cellule contient 10 000 caractères (1 000 au plus)" in rapport["lignes"][0]["reasons"][0]
	assert etat(structure_import.nom)[1:3] == avant
	# It is in the workbook of rejected rows, whole.
	doc = frappe.get_doc("Import Classeur", rapport["import_classeur"])
	rejets = openpyxl.load_workbook(
		io.BytesIO(frappe.get_doc("File", {"file_url": doc.fichier_rejets}).get_content())
	)
	assert rejets["F"]["D2"].value == "é" * 10_000


def test_structure_inconnue(structure_import, tmp_path):
	chemin = tmp_path / "a.xlsx"
	chemin.write_bytes(xlsx({"F": [["Nom", "Prénom"], ["A", "B"]]}))
	with pytest.raises(ImportImpossible, match="La structure « Nulle part » n'existe pas"):
		cli.importer(str(chemin), "Nulle part", essai=True, afficher=lambda _t: None)


def test_service_lire_message_francais():
	with pytest.raises(ImportImpossible, match="est vide"):
		service.lire(b"", "x.xlsx")
