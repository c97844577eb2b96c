"""Unit tests for suivi_social.utils.identite (pure Python, no Frappe site needed)."""

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

# Load the module from its file so that the test does not depend on the app package's __init__ (Frappe).
_CHEMIN = Path(__file__).resolve().parents[2] / "apps/suivi_social/suivi_social/utils/identite.py"
_spec = importlib.util.spec_from_file_location("suivi_social_identite_sous_test", _CHEMIN)
identite = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = identite
_spec.loader.exec_module(identite)

IdentiteInvalide = identite.IdentiteInvalide


def cle_nir_attendue(nir13: str) -> int:
	"""Compute the NIR key with INSEE's published rule (Corsica: 2A → 20 - 1 000 000, 2B → 20 - 2 000 000)."""
	ajustement = 0
	if "2A" in nir13:
		nir13, ajustement = nir13.replace("2A", "20"), 1_000_000
	elif "2B" in nir13:
		nir13, ajustement = nir13.replace("2B", "20"), 2_000_000
	return 97 - (int(nir13) - ajustement) % 97


def nir_complet(nir13: str) -> str:
	"""Append the expected key to 13 NIR characters."""
	return f"{nir13}{cle_nir_attendue(nir13):02d}"


def test_exception_est_une_valueerror():
	assert issubclass(IdentiteInvalide, ValueError)


# --- cle_recherche / chiffres -------------------------------------------------------------------------


@pytest.mark.parametrize(
	"parts, attendu",
	[
		(("Hélène  D'ARGENT-Léo",), "helene d argent leo"),
		(("Œuvre", "Lætitia"), "oeuvre laetitia"),
		(("STRAẞE", "Straße"), "strasse strasse"),
		(("François", "N\u2019Diaye"), "francois n diaye"),
		(("MÜLLER, Zoë",), "muller zoe"),
		(("Bât. 3 \u2013 apt n°12",), "bat 3 apt n 12"),
		((None, "", "  Jean  "), "jean"),
		((None, ""), ""),
		((), ""),
	],
)
def test_cle_recherche(parts, attendu):
	assert identite.cle_recherche(*parts) == attendu


@pytest.mark.parametrize(
	"valeur, attendu",
	[("06 12-34.56/78", "0612345678"), ("FR76 3000", "763000"), ("", ""), (None, ""), ("abc", "")],
)
def test_chiffres(valeur, attendu):
	assert identite.chiffres(valeur) == attendu


# --- SIRET --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"valeur, attendu",
	[
		("73282932000074", "73282932000074"),  # Apple France
		("732 829 320 00074", "73282932000074"),
		("732.829.320-00074", "73282932000074"),
		("732\u00a0829\u00a0320\u00a000074", "73282932000074"),  # non-breaking spaces (spreadsheet export)
		("35600000000048", "35600000000048"),  # La Poste head office: Luhn
		("35600000049837", "35600000049837"),  # La Poste establishment: digit sum multiple of 5
	],
)
def test_siret_valide(valeur, attendu):
	assert identite.normaliser_siret(valeur) == attendu


@pytest.mark.parametrize(
	"valeur, message",
	[
		("7328293200007", "doit comporter 14 chiffres"),
		("732829320000745", "doit comporter 14 chiffres"),
		("7328293200007A", "doit comporter 14 chiffres"),
		("", "doit comporter 14 chiffres"),
		("73282932000075", "clé de contrôle invalide (algorithme de Luhn)"),
		("35600000049838", "clé de contrôle invalide (algorithme de Luhn)"),
		# Passes Luhn, but La Poste establishments follow the digit-sum rule instead
		("35600000001004", "clé de contrôle invalide (algorithme de Luhn)"),
	],
)
def test_siret_invalide(valeur, message):
	with pytest.raises(IdentiteInvalide) as exc:
		identite.normaliser_siret(valeur)
	assert str(exc.value) == message


# --- NIR ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"nir13",
	[
		"1850578006084",
		"2690549588157",
		"175032A004123",  # Corse-du-Sud
		"280112B017045",  # Haute-Corse
		"1991299123456",  # born abroad (department 99)
		"7850578006084",  # provisional number
		"2702575056123",  # special month code 20-42
		"1856275056123",  # special month code 50-99
	],
)
def test_nir_valide_cle_calculee(nir13):
	nir = nir_complet(nir13)
	assert identite.normaliser_nir(nir) == nir


@pytest.mark.parametrize(
	"valeur, attendu",
	[
		("2 69 05 49 588 157 80", "269054958815780"),  # textbook example
		("1 75 03 2a 004 123 29", "175032A00412329"),  # Corsica, lowercase input
		("2.80.11.2B.017.045.62", "280112B01704562"),
	],
)
def test_nir_valide_connu(valeur, attendu):
	assert identite.normaliser_nir(valeur) == attendu


@pytest.mark.parametrize(
	"valeur, message",
	[
		("1850578006084", "doit comporter 15 caractères (13 chiffres et la clé)"),
		("18505780060849100", "doit comporter 15 caractères (13 chiffres et la clé)"),
		("1850578006O8491", "doit comporter 15 caractères (13 chiffres et la clé)"),
		("185052C00608491", "doit comporter 15 caractères (13 chiffres et la clé)"),
		(nir_complet("5850578006084"), "le premier chiffre (sexe) doit être 1, 2, 3, 4, 7 ou 8"),
		(nir_complet("1850078006084"), "le mois de naissance (4e et 5e chiffres) est invalide"),
		(nir_complet("1851378006084"), "le mois de naissance (4e et 5e chiffres) est invalide"),
		(nir_complet("1854378006084"), "le mois de naissance (4e et 5e chiffres) est invalide"),
		("185057800608492", "clé de contrôle invalide"),
		("175032B00412329", "clé de contrôle invalide"),  # 2A key used with 2B
	],
)
def test_nir_invalide(valeur, message):
	with pytest.raises(IdentiteInvalide) as exc:
		identite.normaliser_nir(valeur)
	assert str(exc.value) == message


def test_nir_coherence_genre():
	homme = nir_complet("1850578006084")
	femme = nir_complet("2690549588157")
	assert identite.normaliser_nir(homme, sexe="Homme") == homme
	assert identite.normaliser_nir(femme, sexe="Femme") == femme
	assert identite.normaliser_nir(femme, sexe="Female") == femme
	# Other genders and provisional numbers are not checked
	assert identite.normaliser_nir(homme, sexe="Autre") == homme
	assert identite.normaliser_nir(nir_complet("7850578006084"), sexe="Femme")
	for nir, sexe in ((homme, "Femme"), (femme, "Homme")):
		with pytest.raises(IdentiteInvalide) as exc:
			identite.normaliser_nir(nir, sexe=sexe)
		assert str(exc.value) == "ne correspond pas au genre"


def test_nir_coherence_date_de_naissance():
	nir = nir_complet("1850578006084")
	assert identite.normaliser_nir(nir, date_de_naissance=datetime.date(1985, 5, 17)) == nir
	assert identite.normaliser_nir(nir, date_de_naissance=datetime.date(1885, 5, 17)) == nir
	for date in (datetime.date(1986, 5, 17), datetime.date(1985, 6, 17)):
		with pytest.raises(IdentiteInvalide) as exc:
			identite.normaliser_nir(nir, date_de_naissance=date)
		assert str(exc.value) == "ne correspond pas à la date de naissance"
	# Special month codes (unknown month) are not compared with the date
	special = nir_complet("1853075056123")
	assert identite.normaliser_nir(special, date_de_naissance=datetime.date(1970, 1, 1)) == special


# --- Postcode -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"valeur, attendu",
	[("75001", "75001"), (" 75 001 ", "75001"), ("01000", "01000"), ("20000", "20000"), ("97400", "97400")],
)
def test_code_postal_valide(valeur, attendu):
	assert identite.normaliser_code_postal(valeur) == attendu


@pytest.mark.parametrize(
	"valeur, message",
	[
		("7500", "doit comporter 5 chiffres"),
		("750011", "doit comporter 5 chiffres"),
		("75A01", "doit comporter 5 chiffres"),
		("75-001", "doit comporter 5 chiffres"),
		("00100", "n'est pas un code postal français"),
		("99000", "n'est pas un code postal français"),
	],
)
def test_code_postal_invalide(valeur, message):
	with pytest.raises(IdentiteInvalide) as exc:
		identite.normaliser_code_postal(valeur)
	assert str(exc.value) == message


# --- Phone --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"valeur, attendu, e164",
	[
		("06 12 34 56 78", "06 12 34 56 78", "+33612345678"),
		("06.12.34.56.78", "06 12 34 56 78", "+33612345678"),
		("0612345678", "06 12 34 56 78", "+33612345678"),
		("+33 6 12 34 56 78", "06 12 34 56 78", "+33612345678"),
		("+33 (0)6 12 34 56 78", "06 12 34 56 78", "+33612345678"),
		("0033612345678", "06 12 34 56 78", "+33612345678"),
		("612345678", "06 12 34 56 78", "+33612345678"),  # leading zero lost in a spreadsheet
		("01-23-45-67-89", "01 23 45 67 89", "+33123456789"),
		("+44 20 7946 0958", "+44 20 7946 0958", "+442079460958"),
		("+262 692 12 34 56", "+262 692 12 34 56", "+262692123456"),
		("0692 12 34 56", "+262 692 12 34 56", "+262692123456"),  # Réunion mobile, national format
		("0590 12 34 56", "+590 590 12 34 56", "+590590123456"),  # Guadeloupe landline
	],
)
def test_telephone_valide(valeur, attendu, e164):
	assert identite.normaliser_telephone(valeur) == attendu
	assert identite.telephone_cle(valeur) == e164


@pytest.mark.parametrize(
	"valeur", ["06 12 34 56 7", "06 12 34 56 78 90", "12345", "abc", "", "   ", "+33 0 00 00 00 00"]
)
def test_telephone_invalide(valeur):
	with pytest.raises(IdentiteInvalide) as exc:
		identite.normaliser_telephone(valeur)
	assert str(exc.value) == "n'est pas un numéro de téléphone valide"
	assert identite.telephone_cle(valeur) == ""


def test_telephone_region():
	assert identite.normaliser_telephone("020 7946 0958", region="GB") == "+44 20 7946 0958"
	assert identite.telephone_cle(None) == ""


# --- E-mail -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"valeur, attendu",
	[
		(" Jean.Dupont@Mairie-Lyon.FR ", "Jean.Dupont@mairie-lyon.fr"),
		("accueil+ccas@ville.example.org", "accueil+ccas@ville.example.org"),
		("o'brien@ccas.fr", "o'brien@ccas.fr"),
	],
)
def test_email_valide(valeur, attendu):
	assert identite.normaliser_email(valeur) == attendu


@pytest.mark.parametrize(
	"valeur",
	[
		"jean",
		"jean@",
		"@mairie.fr",
		"jean@mairie",
		"jean dupont@mairie.fr",
		"jean@@mairie.fr",
		"a@b@mairie.fr",
		"jean@mairie..fr",
		"jean@.mairie.fr",
		"jean@mairie.fr.",
		"a@b.fr;c@d.fr",
		"",
	],
)
def test_email_invalide(valeur):
	with pytest.raises(IdentiteInvalide) as exc:
		identite.normaliser_email(valeur)
	assert str(exc.value) == "n'est pas une adresse e-mail valide"
