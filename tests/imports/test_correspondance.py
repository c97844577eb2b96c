"""Proposing each column's target from French headers and from what the column holds."""

import pytest

from suivi_social.imports.correspondance import cible_de, proposer, verifier
from suivi_social.imports.entetes import LigneDonnees, Tableau, cle_entete, cle_entetes


@pytest.mark.parametrize(
	"entete, cible",
	[
		("NOM", "nom"),
		("Nom d'usage", "nom"),
		("Nom marital", "nom"),
		("Nom de naissance", "nom_naissance"),
		("Nom de jeune fille", "nom_naissance"),
		("Prénom(s)", "prenoms"),
		("PRENOM", "prenoms"),
		("Nom Prénom", "nom_prenom"),
		("NOM et prénom", "nom_prenom"),
		("DDN", "date_naissance"),
		("Né(e) le", "date_naissance"),
		("Date de Naiss.", "date_naissance"),
		("Date naissance", "date_naissance"),
		("Lieu de naissance", "lieu_naissance"),
		("Tél", "telephone"),
		("Téléphone", "telephone"),
		("Portable", "telephone"),
		("Ville", "commune"),
		("Commune", "commune"),
		("CP", "code_postal"),
		("Adresse", "adresse"),
		("Référent", "referent"),
		("Travailleur social", "referent"),
		("Montant accordé", "montant_accorde"),
		("Montant demandé", "montant_demande"),
		("Décision", "decision"),
		("Date commission", "date_commission"),
		("Date versement", "date_paiement"),
		("Date élection domicile", "date"),
		("Date entrée", "date"),
		("Date sortie", "date_echeance"),
		("Visite 3", "date_repetee"),
		("Dernier RDV", "date_repetee"),
		("N°", "ignorer"),
		("Civilité", "civilite"),
		("Situation familiale", "situation_familiale"),
		("N° SS", "nir"),
		("Observations", None),
	],
)
def test_synonymes(entete, cible):
	assert cible_de(cle_entete(entete)) == cible


def tableau(entetes, *lignes):
	return Tableau(
		feuille="F",
		ligne_entete=1,
		entetes=list(entetes),
		lignes=[
			LigneDonnees(numero=i + 1, ligne_feuille=i + 2, valeurs=list(l)) for i, l in enumerate(lignes)
		],
	)


def cibles(t, modele=None):
	return [c.cible for c in proposer(t, modele)]


def test_une_colonne_nom_sans_prenom_tient_nom_et_prenom():
	t = tableau(["Nom", "DDN"], ["PERRIER Monique", "20/06/1951"], ["LE GALL Lorraine", "19/02/2003"])
	assert cibles(t) == ["nom_prenom", "date_naissance"]


def test_colonnes_de_dates_numerotees_et_inconnues():
	t = tableau(
		["Nom", "Prénom", "Passage 1", "Passage 2", "Bénévole"],
		["DIAZ", "Victoire", "02/01/2023", "01/12/2024", "Pauline"],
	)
	assert cibles(t) == ["nom", "prenoms", "date_repetee", "date_repetee", "note"]


def test_une_seule_colonne_par_champ_et_second_telephone():
	t = tableau(
		["Nom", "Prénom", "Tél fixe", "Portable", "Date", "Date"],
		["A", "B", "0385000000", "0612345678", None, None],
	)
	assert cibles(t) == ["nom", "prenoms", "telephone", "telephone_2", "date", "note"]


def test_pas_de_date_nommee_la_premiere_colonne_de_dates_devient_la_date():
	t = tableau(["Nom", "Prénom", "Date du dossier"], ["A", "B", "12/03/2024"])
	assert cibles(t) == ["nom", "prenoms", "date"]


def test_modele_enregistre_applique_quel_que_soit_l_ordre():
	modele = {"nom": "nom", "prenom": "prenoms", "tel": "ignorer", "colonne inconnue": "note"}
	t = tableau(["Tel", "Prénom", "NOM"], ["0612345678", "Léa", "MARTIN"])
	assert cibles(t, modele) == ["ignorer", "prenoms", "nom"]
	assert cle_entetes(["Tel", "Prénom", "NOM"]) == cle_entetes(["nom", "prénom", "TÉL"])


def test_verifier():
	assert verifier(proposer(tableau(["Nom", "Prénom"], ["A", "B"]))) == []
	assert verifier(proposer(tableau(["Commune", "Date"], ["Autun", "01/01/2024"]))) == [
		"aucune colonne ne donne le nom des personnes",
		"aucune colonne ne donne le prénom des personnes",
	]
