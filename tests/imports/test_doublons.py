"""Is it the same person? The cases the issue lists, each with its expected verdict."""

import datetime

import pytest

from suivi_social.imports.doublons import CERTAIN, PROBABLE, Identite, comparer, regrouper, une_faute

D = datetime.date


def ident(nom, prenoms, date=None, **autres):
	return Identite(nom=nom, prenoms=prenoms, date_naissance=date, **autres)


@pytest.mark.parametrize(
	"a, b, niveau",
	[
		# accents, case, spaces
		(ident("GRÉGOIRE", "Isaac", D(2005, 8, 24)), ident("gregoire", "ISAAC", D(2005, 8, 24)), CERTAIN),
		(ident("LEMAÎTRE", "Andrée", D(1951, 4, 3)), ident("Lemaitre ", " andree", D(1951, 4, 3)), CERTAIN),
		# hyphen vs space
		(
			ident("CLERC-POTIER", "Tristan", D(1938, 4, 5)),
			ident("Clerc Potier", "Tristan", D(1938, 4, 5)),
			CERTAIN,
		),
		(
			ident("LEBRUN", "Élisabeth-Clémence", D(1976, 1, 20)),
			ident("LEBRUN", "Elisabeth Clemence", D(1976, 1, 20)),
			CERTAIN,
		),
		# compound first name written in part, compound family name in part
		(ident("MARTIN", "Marie", D(1950, 3, 1)), ident("MARTIN", "Marie-Claire", D(1950, 3, 1)), CERTAIN),
		(
			ident("SCHMITT", "William", D(1945, 6, 8)),
			ident("SCHMITT-LÉVY", "William", D(1945, 6, 8)),
			CERTAIN,
		),
		# birth name vs usage name
		(
			ident("DUPONT", "Anne", D(1960, 2, 2)),
			ident("MARTIN", "Anne", D(1960, 2, 2), nom_naissance="Dupont"),
			CERTAIN,
		),
		# birth date missing on one side: certain by itself (the clustering checks the name is unique)
		(ident("LEGROS", "Daniel", D(1935, 12, 1)), ident("LEGROS", "Daniel"), CERTAIN),
		# inverted day and month
		(ident("DIAS", "Patrick", D(1990, 3, 4)), ident("DIAS", "Patrick", D(1990, 4, 3)), CERTAIN),
		# one wrong letter: probable, certain with the same phone or commune
		(ident("BOULAY", "Olivier", D(1950, 9, 6)), ident("BOULAY", "Olivie", D(1950, 9, 6)), PROBABLE),
		(
			ident("BOULAY", "Olivier", D(1950, 9, 6), commune="Autun"),
			ident("BOULAI", "Olivier", D(1950, 9, 6), commune="AUTUN"),
			CERTAIN,
		),
		# one digit of the birth date: probable
		(ident("WEBER", "Louise", D(2002, 11, 13)), ident("WEBER", "Louise", D(2002, 11, 18)), PROBABLE),
		# homonyms: different birth dates
		(ident("MARTIN", "Marie", D(1950, 3, 1)), ident("MARTIN", "Marie", D(1972, 8, 30)), None),
		# same birth date, other people
		(ident("DA SILVA", "Lorraine", D(1983, 5, 10)), ident("GALLET", "Arthur", D(1983, 5, 10)), None),
		(ident("MARCHAL", "Frédéric", D(1958, 6, 18)), ident("MARCHAL", "Renée", D(1958, 6, 18)), None),
		# first and family names swapped
		(ident("Marie", "DUPONT", D(1950, 3, 1)), ident("DUPONT", "Marie", D(1950, 3, 1)), CERTAIN),
		# an unreadable birth date that still gives another year
		(ident("SEGUIN", "Hortense", annee=1950), ident("SEGUIN", "Hortense", D(1925, 1, 28)), None),
		(ident("SEGUIN", "Hortense", annee=1925), ident("SEGUIN", "Hortense", D(1925, 1, 28)), CERTAIN),
	],
)
def test_comparer(a, b, niveau):
	verdict = comparer(a, b)
	assert verdict.niveau == niveau, verdict
	assert comparer(b, a).niveau == niveau
	if niveau:
		assert verdict.raison


def test_nom_prenom_dans_une_colonne_coupe_au_hasard():
	"""« Le Gall Lorraine » split as « Le » / « Gall Lorraine » is still « LE GALL Lorraine »."""
	a = ident("Le", "Gall Lorraine", D(2003, 2, 19), nom_incertain=True)
	b = ident("LE GALL", "Lorraine", D(2003, 2, 19))
	assert comparer(a, b).niveau == CERTAIN


def test_une_faute():
	assert une_faute("olivier", "olivie")
	assert une_faute("martin", "matrin")
	assert une_faute("dupont", "dupond")
	assert not une_faute("dupont", "durand")
	assert not une_faute("lea", "leo")  # too short to tell


def test_regrouper_sans_date_rejoint_la_seule_personne_de_ce_nom():
	lignes = [
		ident("LEGROS", "Daniel", D(1935, 12, 1)),
		ident("legros", "daniel"),
		ident("LEGROS", "Daniel", D(1935, 12, 1)),
	]
	regroupement = regrouper(lignes)
	assert sorted(map(sorted, regroupement.groupes)) == [[0, 1, 2]]


def test_regrouper_sans_date_entre_deux_homonymes_reste_a_verifier():
	lignes = [
		ident("MARTIN", "Marie", D(1950, 3, 1)),
		ident("MARTIN", "Marie", D(1972, 8, 30)),
		ident("MARTIN", "Marie"),
	]
	regroupement = regrouper(lignes)
	assert len(regroupement.groupes) == 3
	assert {(i, j) for i, j, _r in regroupement.a_verifier} == {(0, 2), (1, 2)}


def test_regrouper_sans_date_departage_par_le_telephone():
	lignes = [
		ident("MARTIN", "Marie", D(1950, 3, 1), telephone="0612345678"),
		ident("MARTIN", "Marie", D(1972, 8, 30), telephone="0698765432"),
		ident("MARTIN", "Marie", telephone="06 12 34 56 78"),
	]
	groupes = sorted(map(sorted, regrouper(lignes).groupes))
	assert groupes == [[0, 2], [1]]


def test_regrouper_transitif_et_sans_fusion_des_homonymes():
	lignes = [
		ident("PERRIER", "Monique", D(1951, 6, 20)),
		ident("Perrier", "Monique", D(1951, 6, 20)),
		ident("PERRIER", "Monique", D(1951, 6, 20)),
		ident("PERRIER", "Monique", D(1980, 1, 1)),
	]
	groupes = sorted(map(sorted, regrouper(lignes).groupes))
	assert groupes == [[0, 1, 2], [3]]
