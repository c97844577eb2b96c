"""The dry run, row by row: outcomes, French reasons naming sheet, row and column, counts."""

import datetime

from suivi_social.imports.analyse import ConfigFeuille, Contexte, analyser
from suivi_social.imports.correspondance import cible_de, proposer
from suivi_social.imports.entetes import trouver_tableau
from suivi_social.imports.lecture import lire_classeur
from tests.imports.outils import xlsx

AUJOURD_HUI = datetime.date(2026, 11, 28)


def plan_de(feuilles: dict, contexte: Contexte | None = None, **options):
	contenu = xlsx(feuilles)
	paires = []
	for feuille in lire_classeur(contenu, "anciens.xlsx"):
		tableau = trouver_tableau(feuille, lambda cle: cible_de(cle) is not None)
		paires.append(
			(tableau, ConfigFeuille(nom=feuille.nom, colonnes=proposer(tableau), typologie="T", **options))
		)
	return analyser(
		paires, contexte or Contexte(structure="S", aujourd_hui=AUJOURD_HUI, fichier="anciens.xlsx")
	)


def par_ligne(plan):
	return {(l.feuille, l.numero): l for l in plan.lignes}


def test_valeur_illisible_non_obligatoire_importee_vide_et_a_verifier():
	plan = par_ligne(
		plan_de(
			{
				"Aide sociale": [
					["CIAS — Aide sociale"],
					[],
					["Nom", "Prénom", "Date naissance", "Date dépôt dossier", "Tél"],
					["SEGUIN", "Hortense", "né en 1925", "22/04/2024", "0612345678"],
					["BOYER", "Lucas", "09/06/49", "26/10/2024", "pas de tel"],
				]
			}
		)
	)
	seguin = plan[("Aide sociale", 1)]
	assert seguin.issue == "review"
	assert seguin.personne.get("date_naissance") is None
	assert seguin.raisons[0] == (
		"Feuille Aide sociale, ligne 4, colonne « Date naissance » : « né en 1925 » n'est pas une date : valeur laissée vide"
	)
	# The value as typed is kept in the notes, so that nothing is lost.
	assert "Date naissance (non repris) : né en 1925" in seguin.accompagnements[0]["compte_rendu"]
	boyer = plan[("Aide sociale", 2)]
	assert boyer.issue == "review" and boyer.personne["date_naissance"] == datetime.date(1949, 6, 9)
	assert "colonne « Tél » : « pas de tel » n'est pas un numéro de téléphone valide" in boyer.raisons[0]


def test_rejets_sans_nom_ou_sans_date_d_accompagnement():
	plan = plan_de(
		{
			"Aides": [
				["Nom", "Prénom", "Date commission", "Montant accordé"],
				[None, "Hélène", "01/02/2024", 50],
				["MARTIN", "Léa", "??", 50],
				["MARTIN", "Léa", "01/02/2024", "45,50 €"],
			]
		}
	)
	issues = [(l.numero, l.issue) for l in plan.lignes]
	assert issues == [(1, "rejected"), (2, "rejected"), (3, "imported")]
	assert plan.lignes[0].raisons[0] == (
		"Feuille Aides, ligne 2 : le nom de la personne est vide : la ligne ne peut pas être importée"
	)
	assert "pas de date lisible pour l'accompagnement (« Date commission »)" in plan.lignes[1].raisons[0]
	assert plan.lignes[2].accompagnements[0]["montant_accorde"] == 45.5
	assert plan.lignes[2].accompagnements[0]["decision"] == "Accordée"
	resume = plan.compter()
	assert (
		resume["importees"] + resume["fusionnees"] + resume["a_verifier"] + resume["rejetees"]
		== resume["lignes"]
		== 3
	)


def test_cellule_de_dix_mille_caracteres_rejetee():
	plan = plan_de(
		{"F": [["Nom", "Prénom", "Date", "Observations"], ["MARTIN", "Léa", "01/02/2024", "x" * 10_000]]}
	)
	ligne = plan.lignes[0]
	assert ligne.issue == "rejected"
	assert (
		"colonne « Observations » : la cellule contient 10 000 caractères (1 000 au plus)" in ligne.raisons[0]
	)


def test_erreur_de_formule():
	plan = plan_de(
		{"F": [["Nom", "Prénom", "Date", "Montant accordé"], ["MARTIN", "Léa", "01/02/2024", "#REF!"]]}
	)
	ligne = plan.lignes[0]
	assert ligne.issue == "review"
	assert "« #REF! » est une erreur de formule du tableur" in ligne.raisons[0]


def test_colonnes_de_dates_repetees_un_accompagnement_par_date():
	plan = plan_de(
		{
			"Visites": [
				["Nom", "Prénom", "Visite 1", "Visite 2", "Visite 3"],
				["DIAZ", "Victoire", "02/01/2023", "01/12/2030", None],
			]
		},
		mode="Visite à domicile",
	)
	accompagnements = plan.lignes[0].accompagnements
	assert [(a["date"], a["statut"]) for a in accompagnements] == [
		(datetime.date(2023, 1, 2), "Terminé"),
		(datetime.date(2030, 12, 1), "Planifié"),
	]
	assert all(a["mode"] == "Visite à domicile" for a in accompagnements)


def test_meme_personne_sur_plusieurs_feuilles_un_seul_dossier():
	plan = plan_de(
		{
			"Aides": [
				["Nom Prénom", "DDN", "Date commission"],
				["PERRIER Monique", "20/06/1951", "01/01/2024"],
			],
			"Visites": [["Nom", "Prénom", "Visite 1"], ["Perrier", "monique", "02/02/2024"]],
			"Accompagnement": [
				["Nom", "Prénom", "Date de naissance", "Date 1er RDV"],
				["PERRIER", "Monique", "20.06.1951", "03/03/2024"],
			],
		}
	)
	assert len(plan.personnes) == 1
	assert {l.beneficiaire for l in plan.lignes} == {"nouveau-1"}
	assert plan.personnes[0].valeurs["prenoms"] == "Monique"
	assert any("Même personne que la ligne" in r for l in plan.lignes for r in l.raisons)


def test_empreintes_stables_et_distinctes():
	feuilles = {
		"F": [
			["Nom", "Prénom", "Date"],
			["A", "B", "01/01/2024"],
			["A", "B", "01/01/2024"],
			["C", "D", "01/01/2024"],
		]
	}
	premier, second = plan_de(feuilles), plan_de(feuilles)
	empreintes = [l.empreinte for l in premier.lignes]
	assert empreintes == [l.empreinte for l in second.lignes]
	# Two identical rows are two records (the second is numbered #2), not one.
	assert len(set(empreintes)) == 3


def test_referents_par_la_table_de_correspondance():
	contexte = Contexte(
		structure="S", aujourd_hui=AUJOURD_HUI, fichier="f.xlsx", referents={"ar": "ar@ccas.fr"}
	)
	plan = plan_de(
		{
			"F": [
				["Nom", "Prénom", "Date", "Référent"],
				["A", "B", "01/01/2024", "AR"],
				["C", "D", "01/01/2024", "ZZ"],
			]
		},
		contexte,
	)
	assert [l.referent_user for l in plan.lignes] == ["ar@ccas.fr", None]
	assert "référents sans correspondance (ZZ)" in plan.feuilles[0]["avertissements"][0]


def test_decisions_confirmer_ou_separer():
	feuilles = {
		"Aides": [["Nom", "Prénom", "DDN", "Date"], ["BOULAY", "Olivier", "06/09/1950", "01/01/2024"]],
		"Visites": [
			["Nom", "Prénom", "Date de naissance", "Visite 1"],
			["BOULAY", "Olivie", "06/09/1950", "02/02/2024"],
		],
		"Permis": [["Nom", "Prénom", "DDN", "Date"], ["BOULAY", "Olivier", "06/09/1950", "03/03/2024"]],
	}
	plan = plan_de(feuilles)
	# One wrong letter, nothing else to tell: two files, the pair listed for review.
	assert len(plan.personnes) == 2
	assert plan.rapport()["a_verifier"][0]["lignes"] == [["Aides", 1], ["Visites", 1]]
	assert {l.issue for l in plan.lignes if l.feuille == "Visites"} == {"review"}
	decisions = [
		{"ligne": ["Visites", 1], "avec": ["Aides", 1]},
		{"ligne": ["Permis", 1], "seule": True},
	]
	plan = plan_de(
		feuilles, Contexte(structure="S", aujourd_hui=AUJOURD_HUI, fichier="f.xlsx", decisions=decisions)
	)
	lignes = par_ligne(plan)
	assert (
		lignes[("Visites", 1)].beneficiaire
		== lignes[("Aides", 1)].beneficiaire
		!= lignes[("Permis", 1)].beneficiaire
	)
	assert {l.issue for l in plan.lignes} == {"imported"}
