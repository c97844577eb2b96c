"""Reading workbooks: every format, every sheet, the header below titles, blank and total rows."""

import datetime
from pathlib import Path

import pytest

from suivi_social.imports.correspondance import cible_de
from suivi_social.imports.entetes import trouver_tableau
from suivi_social.imports.lecture import ClasseurIllisible, decoder_texte, lire_classeur
from tests.imports.outils import ods, xlsx

DONNEES = Path(__file__).with_name("donnees")


def tableau(feuille):
	return trouver_tableau(feuille, lambda cle: cible_de(cle) is not None)


def test_xlsx_toutes_les_feuilles_titre_fusionne_lignes_vides_et_total():
	contenu = xlsx(
		{
			"Domiciliation": [
				["CIAS — Domiciliation — document de travail"],
				[],
				["N°", "NOM", "PRENOM", "Né(e) le"],
				[1, "GALLET", "Arthur", "10/05/1983"],
				[],
				[2, "David", "Jacques", datetime.datetime(1958, 7, 8)],
				["TOTAL :", None, None, None],
			],
			"Autre": [["Nom", "Prénom"], ["MARTIN", "Léa"]],
		},
		fusions={"Domiciliation": ["A1:D1"]},
	)
	feuilles = lire_classeur(contenu, "classeur.xlsx")
	assert [f.nom for f in feuilles] == ["Domiciliation", "Autre"]
	t = tableau(feuilles[0])
	assert t.ligne_entete == 3
	assert t.entetes == ["N°", "NOM", "PRENOM", "Né(e) le"]
	assert [(l.numero, l.ligne_feuille, l.valeurs[1]) for l in t.lignes] == [
		(1, 4, "GALLET"),
		(2, 6, "David"),
	]
	assert t.ignorees == [(7, "ligne de total")]


def test_entete_sur_deux_lignes_fusionnees():
	"""« Visites » merged above « 1 », « 2 »: the columns are « Visites 1 », « Visites 2 »."""
	contenu = xlsx(
		{
			"Visites": [
				["Nom", "Prénom", "Visites", None],
				[None, None, "1", "2"],
				["DIAZ", "Victoire", "02/01/2023", None],
			]
		},
		fusions={"Visites": ["A1:A2", "B1:B2", "C1:D1"]},
	)
	t = tableau(lire_classeur(contenu, "v.xlsx")[0])
	assert t.entetes == ["Nom", "Prénom", "Visites 1", "Visites 2"]
	assert [l.valeurs[0] for l in t.lignes] == ["DIAZ"]


def test_formules_erreurs_et_valeurs_calculees():
	contenu = xlsx({"F": [["Nom", "Prénom", "Montant"], ["A", "B", "#REF!"], ["C", "D", "=1+1"]]})
	lignes = lire_classeur(contenu, "f.xlsx")[0].lignes
	assert lignes[1][2] == "#REF!"
	# A formula never computed by a spreadsheet has no cached value: read as empty.
	assert lignes[2] == ["C", "D"]


def test_xls():
	feuilles = lire_classeur((DONNEES / "anciens.xls").read_bytes(), "anciens.xls")
	assert [f.nom for f in feuilles] == ["Aides 2019", "Visites"]
	t = tableau(feuilles[0])
	assert t.entetes[:3] == ["NOM", "Prénom", "Date de naiss."]
	assert t.lignes[0].valeurs == ["LÉVÊQUE", "Madeleine", datetime.date(1944, 3, 2), 45.5, 612345678]
	assert [l.valeurs[0] for l in t.lignes] == ["LÉVÊQUE", "Dupont"]
	assert feuilles[0].fusions == [(0, 0, 0, 4)]


def test_ods():
	contenu = ods(
		{
			"Aide sociale": [
				["Liste 2023"],
				[],
				["Nom", "Prénom", "DDN"],
				["SEGUIN", "Hortense", datetime.date(1925, 1, 28)],
			]
		}
	)
	t = tableau(lire_classeur(contenu, "a.ods")[0])
	assert t.entetes == ["Nom", "Prénom", "DDN"]
	assert t.lignes[0].valeurs == ["SEGUIN", "Hortense", datetime.date(1925, 1, 28)]


@pytest.mark.parametrize(
	"contenu",
	[
		"Nom;Prénom;Commune\nLEFÈVRE;Hélène;Épinac\n".encode(),
		"\ufeffNom,Prénom,Commune\nLEFÈVRE,Hélène,Épinac\n".encode(),
		"Nom;Prénom;Commune\r\nLEFÈVRE;Hélène;Épinac\r\n".encode("cp1252"),
		'Nom,Prénom,Commune\n"LEFÈVRE","Hélène","Épinac, centre"\n'.encode("cp1252"),
		"Nom\tPrénom\tCommune\nLEFÈVRE\tHélène\tÉpinac\n".encode("utf-16"),
	],
)
def test_csv_separateur_et_encodage(contenu):
	feuille = lire_classeur(contenu, "export.csv")[0]
	assert feuille.lignes[0] == ["Nom", "Prénom", "Commune"]
	assert feuille.lignes[1][:2] == ["LEFÈVRE", "Hélène"]
	assert feuille.lignes[1][2].startswith("Épinac")


def test_windows_1252_jamais_mal_decode():
	texte = "Nom;Prénom;Note\nŒUVRE;Noël;« 45 € » à Saint-Léger, l’été\n"
	decode, encodage = decoder_texte(texte.encode("cp1252"))
	assert decode == texte and encodage == "cp1252"


def test_fichier_vide_ou_sans_donnees():
	with pytest.raises(ClasseurIllisible, match="est vide"):
		lire_classeur(b"", "vide.xlsx")
	with pytest.raises(ClasseurIllisible, match="aucune donnée"):
		lire_classeur(xlsx({"F": []}), "vide.xlsx")
