"""The statistics Script Reports on the hand-built dataset (jeu_rapports.py): their figures, the
structure criterion (in the process and over HTTP), and amounts never given to who may not read
them."""

import json
import re

import frappe
import pytest
from frappe.desk.query_report import run

from suivi_social.statistiques import agregats
from suivi_social.statistiques.perimetre import Perimetre
from tests.conftest import as_user
from tests.securite.test_http import requete
from tests.statistiques import jeu_rapports
from tests.statistiques.jeu_rapports import FILTRES_2025, NORD, SUD

# The dataset's fixtures (jeu_rapports.py), used by name.
_jeu, jeu, cles_stats = jeu_rapports._jeu, jeu_rapports.jeu, jeu_rapports.cles_stats

ACTIVITE = "Activite par typologie"
PROFIL = "Profil des beneficiaires"
AIDES = "Aides financieres"
RDV = "Rendez-vous"
RAPPORTS = (ACTIVITE, PROFIL, AIDES, RDV)


def executer(user: str, rapport: str, **filtres) -> dict:
	with as_user(user):
		return run(rapport, filters=json.dumps(filtres))


def par_libelle(resultat: dict, champ: str = "libelle") -> dict[str, dict]:
	return {ligne[champ]: ligne for ligne in resultat["result"]}


def chiffres(ligne: dict, *champs: str) -> tuple:
	return tuple(ligne[champ] for champ in champs)


def resume(resultat: dict) -> dict:
	return {element["label"]: element["value"] for element in resultat["report_summary"]}


# --- Activité par typologie -----------------------------------------------------------------------


def test_activite_par_typologie(jeu):
	r = executer(jeu.users.resp_n, ACTIVITE, **FILTRES_2025)
	lignes = par_libelle(r)
	assert {k: chiffres(v, "accompagnements", "beneficiaires") for k, v in lignes.items()} == {
		"Domiciliation": (4, 3),
		"Logement": (2, 2),
		"Aide alimentaire": (3, 3),
		"Aide énergie": (2, 2),
		# Two accompaniments have two typologies, Alice and Bruno appear under several: distinct.
		"Total (chaque personne comptée une fois)": (9, 4),
	}
	assert [c["label"] for c in r["columns"]] == ["Typologie", "Accompagnements", "Bénéficiaires"]
	assert r["chart"]["data"]["labels"] == ["Domiciliation", "Aide alimentaire", "Aide énergie", "Logement"]
	assert resume(r) == {"Accompagnements": 9, "Bénéficiaires accompagnés": 4}


def test_activite_filtree_par_agent_et_par_mode(jeu):
	par_agent = par_libelle(executer(jeu.users.resp_n, ACTIVITE, **FILTRES_2025, agent=jeu.users.ts_n2))
	# a12 (honoured) only: a13 was missed.
	assert {k: chiffres(v, "accompagnements", "beneficiaires") for k, v in par_agent.items()} == {
		"Domiciliation": (1, 1),
		"Total (chaque personne comptée une fois)": (1, 1),
	}
	par_mode = par_libelle(
		executer(jeu.users.resp_n, ACTIVITE, **FILTRES_2025, mode="Entretien téléphonique")
	)
	assert {k: chiffres(v, "accompagnements", "beneficiaires") for k, v in par_mode.items()} == {
		"Domiciliation": (1, 1),
		"Logement": (1, 1),
		"Aide alimentaire": (2, 2),
		"Aide énergie": (2, 2),
		"Total (chaque personne comptée une fois)": (4, 2),
	}


# --- Profil des bénéficiaires ---------------------------------------------------------------------


def repartition(jeu, dimension: str, user: str | None = None, **filtres) -> dict[str, int]:
	r = executer(user or jeu.users.resp_n, PROFIL, **(filtres or FILTRES_2025), repartition=dimension)
	return {ligne["libelle"]: ligne["beneficiaires"] for ligne in r["result"]}


def test_profil_tranches_d_age(jeu):
	r = executer(jeu.users.resp_n, PROFIL, **FILTRES_2025, repartition="tranche_age")
	assert {ligne["libelle"]: (ligne["beneficiaires"], ligne["part"]) for ligne in r["result"]} == {
		"Moins de 25 ans": (1, 25.0),  # Alice, 22
		"25 à 34 ans": (1, 25.0),  # Chloé, 34 (born on 1 January 1991)
		"35 à 44 ans": (1, 25.0),  # Bruno, 35 on the last day of the year
		"45 à 54 ans": (0, 0.0),
		"55 à 64 ans": (0, 0.0),
		"65 ans et plus": (0, 0.0),
		"Non renseigné": (1, 25.0),  # Damien, archived since, no birth date
		"Total": (4, 100.0),
	}
	assert resume(r) == {"Bénéficiaires accompagnés": 4, "Nouveaux": 2, "Déjà suivis avant la période": 2}


@pytest.mark.parametrize(
	"dimension, attendu",
	[
		("genre", {"Femme": 2, "Homme": 1, "Non renseigné": 1, "Total": 4}),
		# « Démoville » and « DEMOVILLE » are one commune.
		("commune", {"Démoville": 2, "Autreville": 1, "Non renseigné": 1, "Total": 4}),
		("situation_familiale", {"Célibataire": 1, "Marié(e)": 1, "Non renseigné": 2, "Total": 4}),
		(
			"mode_hebergement",
			{"Propriétaire": 1, "Locataire du parc social": 1, "Non renseigné": 2, "Total": 4},
		),
		("nouveaux", {"Nouveaux": 2, "Déjà suivis avant la période": 2, "Total": 4}),
	],
)
def test_profil_repartitions(jeu, dimension, attendu):
	assert repartition(jeu, dimension) == attendu


def test_profil_ressources_pour_qui_peut_les_lire(jeu):
	assert repartition(jeu, "ressources") == {
		"Salaire": 1,
		"RSA": 1,
		"APL / aide au logement": 1,
		"Aucune ressource renseignée": 2,
	}
	# The platform administrator has no permission level 1 on the files: no resources at all.
	r = executer(jeu.users.admin, PROFIL, **FILTRES_2025, repartition="ressources")
	assert r["result"] == []
	assert "ne vous sont pas accessibles" in r["message"]


def test_dossier_archive_compte_dans_les_periodes_passees(jeu):
	"""Damien's file is archived today: he still counts in 2024 and 2025, where he was followed."""
	assert frappe.db.get_value("Beneficiaire", jeu.personnes.damien, "statut") == "Archivé"
	assert repartition(jeu, "nouveaux", date_debut="2024-01-01", date_fin="2024-12-31", structure=NORD) == {
		"Nouveaux": 3,  # Bruno, Damien, Émile: nobody before 2024
		"Déjà suivis avant la période": 0,
		"Total": 3,
	}
	assert repartition(jeu, "genre", date_debut="2024-01-01", date_fin="2024-12-31", structure=NORD) == {
		"Homme": 2,
		"Non renseigné": 1,
		"Total": 3,
	}


# --- Aides financières ----------------------------------------------------------------------------

COLONNES_AIDES = (
	"demandes",
	"accordees",
	"refusees",
	"en_cours",
	"taux_refus",
	"payees",
	"montant_demande",
	"montant_accorde",
	"montant_paye",
	"montant_moyen",
)


def test_aides_financieres(jeu):
	r = executer(jeu.users.resp_n, AIDES, **FILTRES_2025)
	lignes = par_libelle(r)
	assert {k: chiffres(v, *COLONNES_AIDES) for k, v in lignes.items()} == {
		"Aide alimentaire": (3, 2, 1, 0, 33.3, 1, 1200.0, 400.0, 250.0, 200.0),
		"Aide énergie": (2, 1, 0, 1, 0.0, 0, 600.0, 150.0, 0.0, 150.0),
		# a7 is under both natures: once in the total.
		"Total": (4, 2, 1, 1, 33.3, 1, 1400.0, 400.0, 250.0, 200.0),
	}
	assert "Montant payé" in [c["label"] for c in r["columns"]]


def test_aides_financieres_par_mois(jeu):
	r = executer(jeu.users.resp_n, AIDES, **FILTRES_2025, periodicite="Mois")
	lignes = {(ligne["periode"], ligne["libelle"]): ligne for ligne in r["result"] if ligne.get("periode")}
	assert {k: chiffres(v, "demandes", "accordees", "montant_accorde") for k, v in lignes.items()} == {
		("mai 2025", "Aide alimentaire"): (1, 1, 250.0),
		("juin 2025", "Aide alimentaire"): (1, 0, 0.0),
		("juillet 2025", "Aide énergie"): (1, 0, 0.0),
		("août 2025", "Aide alimentaire"): (1, 1, 150.0),
		("août 2025", "Aide énergie"): (1, 1, 150.0),
	}
	assert chiffres(r["result"][-1], "demandes", "montant_accorde") == (4, 400.0)


def test_aides_sans_montants_pour_qui_n_a_pas_le_niveau(jeu):
	"""The Administrateur Suivi social reads no permission level 1: counts, never amounts."""
	r = executer(jeu.users.admin, AIDES, **FILTRES_2025)
	champs = {c["fieldname"] for c in r["columns"]}
	assert not champs & {"payees", "montant_demande", "montant_accorde", "montant_paye", "montant_moyen"}
	assert chiffres(par_libelle(r)["Total"], "demandes", "accordees", "refusees") == (4, 2, 1)
	texte = json.dumps(r)
	assert not any(montant in texte for montant in ("1200", "1400", "250.0", "400.0"))
	assert "Montant" not in json.dumps(r["report_summary"])


def test_agregat_des_aides_sans_montants_pour_l_accueil(jeu):
	"""The aggregation itself, whoever calls it: no amount for the Agent d'accueil."""
	with as_user(jeu.users.acc_n):
		aides = agregats.aides_financieres(Perimetre.depuis_filtres(FILTRES_2025))
	assert aides.montants is False
	for ligne in [*aides.lignes, aides.total]:
		assert not {k for k in ligne if k.startswith("montant") or k == "payees"}


# --- Rendez-vous ----------------------------------------------------------------------------------

COLONNES_RDV = (
	"rendez_vous",
	"honores",
	"non_honores",
	"annules",
	"a_venir",
	"a_renseigner",
	"taux_presence",
)


def test_rendez_vous_par_agent(jeu):
	r = executer(jeu.users.resp_n, RDV, **FILTRES_2025)
	lignes = par_libelle(r, "nom_agent")
	# Agents by their names, never their e-mail.
	assert {k: chiffres(v, *COLONNES_RDV) for k, v in lignes.items()} == {
		"Nadia Lemoine": (5, 2, 1, 1, 0, 1, 66.7),
		"Olivier Brunet": (2, 1, 1, 0, 0, 0, 50.0),
		"Total": (7, 3, 2, 1, 0, 1, 60.0),
	}
	assert "@" not in json.dumps(r["result"])
	assert r["chart"]["data"]["labels"] == ["Nadia Lemoine", "Olivier Brunet"]


def test_rendez_vous_a_venir(jeu):
	from frappe.utils import add_days, today

	with as_user(jeu.users.ts_n):
		frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": jeu.personnes.gaston,
				"types_accompagnement": [{"type_accompagnement": jeu.types.domiciliation}],
				"date": add_days(today(), 1),
				"agent": jeu.users.ts_n,
				"mode": "Visite à domicile",
				"statut": "Planifié",
			}
		).insert()
	r = executer(
		jeu.users.resp_n,
		RDV,
		date_debut=add_days(today(), -1),
		date_fin=add_days(today(), 10),
		structure=NORD,
	)
	assert chiffres(par_libelle(r, "nom_agent")["Nadia Lemoine"], *COLONNES_RDV) == (1, 0, 0, 0, 1, 0, None)


# --- Isolation --------------------------------------------------------------------------------------


def test_sans_filtre_de_structure_chacun_ne_voit_que_la_sienne(jeu):
	sans_structure = {k: v for k, v in FILTRES_2025.items() if k != "structure"}
	nord = par_libelle(executer(jeu.users.resp_n, ACTIVITE, **sans_structure))
	assert nord["Total (chaque personne comptée une fois)"]["accompagnements"] == 9
	sud = par_libelle(executer(jeu.users.resp_s, ACTIVITE, **sans_structure))
	assert {k: chiffres(v, "accompagnements", "beneficiaires") for k, v in sud.items()} == {
		"Domiciliation": (1, 1),
		"Aide énergie": (1, 1),
		"Total (chaque personne comptée une fois)": (2, 1),
	}
	aides_sud = par_libelle(executer(jeu.users.resp_s, AIDES, **sans_structure))
	assert chiffres(aides_sud["Total"], "demandes", "montant_accorde", "montant_paye") == (1, 1000.0, 1000.0)
	rdv_nord = par_libelle(executer(jeu.users.resp_n, RDV, **sans_structure), "nom_agent")
	assert set(rdv_nord) == {"Nadia Lemoine", "Olivier Brunet", "Total"}
	profil_sud = repartition(jeu, "commune", jeu.users.resp_s, **sans_structure)
	assert profil_sud == {"Sudville": 1, "Total": 1}


@pytest.mark.parametrize("rapport", RAPPORTS)
def test_structure_d_une_autre_structure_refusee(jeu, rapport):
	with pytest.raises(frappe.PermissionError, match="ne vous est pas accessible"):
		executer(jeu.users.resp_n, rapport, **{**FILTRES_2025, "structure": SUD})


def test_typologies_de_deux_structures_nommees_avec_leur_structure(jeu):
	with as_user(jeu.users.admin):
		noms = agregats.noms_typologies({jeu.types.domiciliation, jeu.types.sud_domiciliation})
	assert noms == {
		jeu.types.domiciliation: "Domiciliation (Stats Nord)",
		jeu.types.sud_domiciliation: "Domiciliation (Stats Sud)",
	}


# --- Over HTTP ----------------------------------------------------------------------------------------


def run_http(token: str, rapport: str, **filtres):
	return requete(
		"POST",
		token,
		"/api/method/frappe.desk.query_report.run",
		report_name=rapport,
		filters=json.dumps(filtres),
	)


@pytest.mark.parametrize("rapport", RAPPORTS)
def test_http_chaque_structure_ne_voit_que_ses_chiffres(jeu, cles_stats, rapport):
	sans_structure = {k: v for k, v in FILTRES_2025.items() if k != "structure"}
	nord = run_http(cles_stats["resp_n"], rapport, **sans_structure)
	assert nord.status_code == 200, nord.text
	sud = run_http(cles_stats["resp_s"], rapport, **sans_structure)
	assert sud.status_code == 200, sud.text
	texte_nord, texte_sud = json.dumps(nord.json["message"]), json.dumps(sud.json["message"])
	assert "Sudville" not in texte_nord and "Simon Sudre" not in texte_nord and "1000.0" not in texte_nord
	assert "Nadia Lemoine" not in texte_sud and "Démoville" not in texte_sud and "1400.0" not in texte_sud
	total_nord = nord.json["message"]["result"][-1]
	attendu = {
		ACTIVITE: ("accompagnements", 9),
		PROFIL: ("beneficiaires", 4),
		AIDES: ("demandes", 4),
		RDV: ("rendez_vous", 7),
	}[rapport]
	assert total_nord[attendu[0]] == attendu[1]
	# Asking for the other structure: refused.
	autre = run_http(cles_stats["resp_n"], rapport, **FILTRES_2025 | {"structure": SUD})
	assert autre.status_code == 403
	assert "ne vous est pas accessible" in autre.text


@pytest.mark.parametrize("rapport", RAPPORTS)
def test_http_rapports_refuses_a_l_accueil(jeu, cles_stats, rapport):
	r = run_http(cles_stats["acc_n"], rapport, **FILTRES_2025)
	assert r.status_code == 403
	# A figure as a whole number: the error's random hashes may hold the digits « 250 ».
	assert not re.search(r"\b250(\.0)?\b", r.text) and "montant" not in r.text.lower()


def test_http_aides_sans_montants_pour_l_administrateur(jeu, cles_stats):
	r = run_http(cles_stats["admin"], AIDES, **FILTRES_2025)
	assert r.status_code == 200, r.text
	message = r.json["message"]
	assert "montant_accorde" not in {c["fieldname"] for c in message["columns"]}
	assert not any(m in r.text for m in ("1400", "1200", "250.0"))
	assert message["result"][-1]["demandes"] == 4
