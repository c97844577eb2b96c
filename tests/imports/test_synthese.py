"""The matching on a harder workbook than the sample: the sample's shape with typos, cut compound
first names, missing or inverted birth dates and homonyms (tests/imports/synthese.py, fixed seed).
Pure dry run, no database: the figures are printed and must reach the same goals."""

import datetime

from suivi_social.imports.analyse import ConfigFeuille, Contexte, analyser
from suivi_social.imports.correspondance import cible_de, proposer
from suivi_social.imports.entetes import trouver_tableau
from suivi_social.imports.lecture import lire_classeur
from tests.imports import synthese
from tests.imports.conftest import MESURES
from tests.imports.verite import OBJECTIF_PRECISION, OBJECTIF_RAPPEL, afficher, mesurer


def test_dedoublonnage_classeur_synthetique():
	contenu, verite = synthese.classeur(1500, graine=20261128)
	paires = []
	for feuille in lire_classeur(contenu, "synthese.xlsx"):
		tableau = trouver_tableau(feuille, lambda cle: cible_de(cle) is not None)
		paires.append((tableau, ConfigFeuille(nom=feuille.nom, colonnes=proposer(tableau), typologie="T")))
	plan = analyser(
		paires, Contexte(structure="S", aujourd_hui=datetime.date(2026, 11, 28), fichier="synthese.xlsx")
	)
	mesures = mesurer(plan.rapport(), verite)
	MESURES.append("Classeur synthétique : " + afficher(mesures))
	assert not mesures["lignes_manquantes"] and not mesures["lignes_en_trop"]
	assert mesures["precision"] >= OBJECTIF_PRECISION
	assert mesures["rappel"] >= OBJECTIF_RAPPEL
