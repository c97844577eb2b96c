"""Legacy values to the app's values."""

import datetime
import re

import pytest

from suivi_social.imports.normalisation import (
	ValeurIllisible,
	cle_commune,
	forme_commune,
	forme_prenoms,
	lire_civilite,
	lire_date,
	lire_decision,
	lire_montant,
	lire_situation_familiale,
	lire_telephone,
	meilleure_forme,
	separer_nom_prenom,
)

D = datetime.date
AUJOURD_HUI = D(2026, 11, 28)


@pytest.mark.parametrize(
	"valeur, naissance, attendu",
	[
		(45123, False, D(2023, 7, 16)),  # Excel serial
		("10/05/1983", True, D(1983, 5, 10)),
		("1/9/2024", False, D(2024, 9, 1)),
		("11.12.2024", False, D(2024, 12, 11)),
		("2024-01-03", False, D(2024, 1, 3)),
		("2024-01-03 00:00:00", False, D(2024, 1, 3)),
		(datetime.datetime(1951, 9, 22), True, D(1951, 9, 22)),
		("12 mars 2023", False, D(2023, 3, 12)),
		("1er décembre 2020", False, D(2020, 12, 1)),
		# two-digit years: a birth never in the future, nor older than 120 years; an adult rather
		("20/06/51", True, D(1951, 6, 20)),
		("26/07/26", True, D(1926, 7, 26)),
		("23/02/02", True, D(2002, 2, 23)),
		("05/12/24", True, D(1924, 12, 5)),
		("05/12/24", False, D(2024, 12, 5)),
		("31/03/27", False, D(2027, 3, 31)),
	],
)
def test_dates(valeur, naissance, attendu):
	assert lire_date(valeur, naissance=naissance, aujourd_hui=AUJOURD_HUI) == attendu


@pytest.mark.parametrize(
	"valeur, message",
	[
		("né en 1925", "« né en 1925 » n'est pas une date"),
		("31/02/1963", "« 31/02/1963 » n'est pas une date"),
		("??", "« ?? » n'est pas une date"),
		("19/02/2042", "ne peut pas être dans le futur"),
		("01/01/1890", "plus de 120 ans"),
		("#REF!", "erreur de formule"),
	],
)
def test_dates_illisibles(valeur, message):
	with pytest.raises(ValeurIllisible, match=re.escape(message)):
		lire_date(valeur, naissance=True, aujourd_hui=AUJOURD_HUI)


@pytest.mark.parametrize(
	"valeur, attendu",
	[
		("45,50 €", 45.5),
		("45.5", 45.5),
		("45€", 45.0),
		("200,00 €", 200.0),
		("1 234,56", 1234.56),
		("1.234,56 EUR", 1234.56),
		(120, 120.0),
		("0.0", 0.0),
	],
)
def test_montants(valeur, attendu):
	assert lire_montant(valeur) == attendu


@pytest.mark.parametrize("valeur", ["gratuit", "-5", "#DIV/0!"])
def test_montants_illisibles(valeur):
	with pytest.raises(ValeurIllisible):
		lire_montant(valeur)


@pytest.mark.parametrize(
	"valeur, attendu",
	[
		(385890955, "03 85 89 09 55"),  # the leading zero Excel ate
		(612345678.0, "06 12 34 56 78"),
		("+33 3 85 03 60 98", "03 85 03 60 98"),
		("06.12.34.56.78", "06 12 34 56 78"),
	],
)
def test_telephones(valeur, attendu):
	assert lire_telephone(valeur) == attendu


@pytest.mark.parametrize(
	"valeur, attendu",
	[
		("ok", "Accordée"),
		("Accord", "Accordée"),
		("Favorable", "Accordée"),
		("refusé", "Refusée"),
		("Refus", "Refusée"),
		("Défavorable", "Refusée"),
		("Accord partiel", "Accordée partiellement"),
		("Ajourné", "Ajournée"),
		("En attente", "En cours d'instruction"),
		("sans suite", "Classée sans suite"),
	],
)
def test_decisions(valeur, attendu):
	assert lire_decision(valeur) == attendu


def test_decision_inconnue():
	with pytest.raises(ValeurIllisible, match="« peut-être » n'est pas une décision"):
		lire_decision("peut-être")


def test_civilite_situation():
	assert lire_civilite("Mme") == "Madame" and lire_civilite("M.") == "Monsieur"
	assert lire_situation_familiale("Veuf(ve)") == "Veuf ou veuve"
	assert lire_situation_familiale("Concubinage") == "En concubinage"


@pytest.mark.parametrize(
	"texte, attendu",
	[
		("PERRIER Monique", ("PERRIER", "Monique", True)),
		("LE GALL Lorraine", ("LE GALL", "Lorraine", True)),
		("Marie-Claire DUPONT", ("Marie-Claire", "DUPONT", False)),
		("Raymond Jeanne", ("Raymond", "Jeanne", False)),
		("de la Tour Anne", ("de la Tour", "Anne", False)),
	],
)
def test_nom_prenom(texte, attendu):
	assert separer_nom_prenom(texte) == attendu


def test_noms_et_communes():
	assert forme_prenoms("jean-PIERRE") == "Jean-Pierre"
	assert forme_prenoms("Anaïs-Catherine") == "Anaïs-Catherine"
	assert (
		cle_commune("Étang-sur-Arroux") == cle_commune("ETANG SUR ARROUX") == cle_commune("Etang sur Arroux")
	)
	assert cle_commune("St Forgeot") == cle_commune("Saint-Forgeot")
	assert meilleure_forme(["ETANG SUR ARROUX", "Étang-sur-Arroux", "Etang sur Arroux"]) == "Étang-sur-Arroux"
	assert forme_commune("LA GRANDE-VERRIÈRE") == "La Grande-Verrière"
	assert forme_commune("LUCENAY-L'ÉVÊQUE") == "Lucenay-l'Évêque"
