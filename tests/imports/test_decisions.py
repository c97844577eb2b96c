"""The review list of possible duplicates, decided by a person: confirmed (one person, or the
person of an existing file) or split (each row its own person, or not that file). The decisions
are stored on the import, and the next dry run, the real run and the command's REPORT.json follow
them. Each test would fail if a decision were ignored: the rows would stay « review »."""

import json
import os
import subprocess

import frappe
import pytest

from suivi_social.imports import api, cli, execution
from suivi_social.imports.analyse import Contexte, lire_decisions
from suivi_social.imports.ecriture import Transaction
from tests.conftest import BENCH, TEST_SITE, as_user
from tests.factories import make_beneficiaire
from tests.imports.outils import televerser, xlsx
from tests.imports.test_analyse import AUJOURD_HUI, par_ligne, plan_de

# Olivier Boulay on three sheets: Aides and Permis certainly one person; Visites one letter apart,
# nothing else to tell: a possible duplicate.
BOULAY = {
	"Aides": [["Nom", "Prénom", "DDN", "Date"], ["BOULAY", "Olivier", "06/09/1950", "01/01/2024"]],
	"Visites": [
		["Nom", "Prénom", "Date de naissance", "Visite 1"],
		["BOULAY", "Olivie", "06/09/1950", "02/02/2024"],
	],
	"Permis": [["Nom", "Prénom", "DDN", "Date"], ["BOULAY", "Olivier", "06/09/1950", "03/03/2024"]],
}


def contexte(decisions=(), existants=()):
	return Contexte(
		structure="S",
		aujourd_hui=AUJOURD_HUI,
		fichier="f.xlsx",
		decisions=list(decisions),
		dossiers_existants=(lambda _identites: [dict(d) for d in existants]) if existants else None,
	)


def test_sans_decision_le_doute_reste_a_verifier():
	plan = plan_de(BOULAY)
	lignes = par_ligne(plan)
	assert plan.a_verifier == [
		{
			"lignes": [["Aides", 1], ["Visites", 1]],
			"raison": "même date de naissance (une lettre diffère dans le prénom)",
		}
	]
	assert lignes[("Aides", 1)].beneficiaire == lignes[("Permis", 1)].beneficiaire
	assert lignes[("Visites", 1)].beneficiaire != lignes[("Aides", 1)].beneficiaire
	assert {l.issue for l in plan.lignes} == {"review"}


def test_personnes_distinctes_separe_les_personnes_sans_defaire_les_liens_certains():
	"""Split: the rows of the case are different persons; each keeps the rows certainly its own
	(Aides and Permis stay one file), and nothing is left to review."""
	decision = {"lignes": [["Aides", 1], ["Visites", 1]], "decision": "distinctes"}
	plan = plan_de(BOULAY, contexte([decision]))
	lignes = par_ligne(plan)
	assert lignes[("Aides", 1)].beneficiaire == lignes[("Permis", 1)].beneficiaire
	assert lignes[("Visites", 1)].beneficiaire != lignes[("Aides", 1)].beneficiaire
	assert len(plan.personnes) == 2
	assert {l.issue for l in plan.lignes} == {"imported"}
	assert plan.a_verifier == []
	assert "Pas la même personne que la ligne 2 de la feuille Aides : décidé par un agent." in (
		lignes[("Visites", 1)].raisons
	)
	assert plan.rapport()["decisions"] == [{**decision, "appliquee": True}]


def test_meme_personne_reunit_les_lignes():
	decision = {"lignes": [["Aides", 1], ["Visites", 1]], "decision": "meme"}
	plan = plan_de(BOULAY, contexte([decision]))
	assert len({l.beneficiaire for l in plan.lignes}) == 1 == len(plan.personnes)
	assert {l.issue for l in plan.lignes} == {"imported"}
	assert plan.a_verifier == [] and plan.decisions[0]["appliquee"]
	visites = par_ligne(plan)[("Visites", 1)]
	assert any("confirmé par un agent" in r for r in visites.raisons)


def test_decisions_contradictoires_la_separation_l_emporte():
	decisions = [
		{"lignes": [["Aides", 1], ["Visites", 1]], "decision": "meme"},
		{"lignes": [["Visites", 1], ["Permis", 1]], "decision": "distinctes"},
	]
	plan = plan_de(BOULAY, contexte(decisions))
	lignes = par_ligne(plan)
	assert lignes[("Visites", 1)].beneficiaire != lignes[("Permis", 1)].beneficiaire
	assert [d["appliquee"] for d in plan.decisions] == [False, True]
	assert plan.decisions[0]["pourquoi"] == "une autre décision la contredit"


def test_un_groupe_de_trois_separe_en_trois_personnes():
	"""Three rows that only perhaps are one person (one letter apart each time), split as a group:
	three persons."""
	feuilles = {
		"F": [
			["Nom", "Prénom", "DDN", "Date"],
			["MOREAU", "Gilberte", "02/02/1940", "01/01/2024"],
			["MOREAU", "Gilbert", "02/02/1940", "02/01/2024"],
			["MOREAUX", "Gilbert", "02/02/1940", "03/01/2024"],
		]
	}
	plan = plan_de(feuilles)
	assert plan.a_verifier and {l.issue for l in plan.lignes} == {"review"}
	decision = {"lignes": [["F", 1], ["F", 2], ["F", 3]], "decision": "distinctes"}
	plan = plan_de(feuilles, contexte([decision]))
	assert len({l.beneficiaire for l in plan.lignes}) == 3
	assert {l.issue for l in plan.lignes} == {"imported"} and plan.a_verifier == []


# --- Against the existing files of the structure -------------------------------------------------

DURAND = {"name": "S-00001", "nom_usage": "DURAND", "prenoms": "Émile", "date_naissance": "1950-07-08"}
AIDES_DURANT = {"Aides": [["Nom", "Prénom", "DDN", "Date"], ["DURANT", "Émile", "08/07/1950", "01/01/2024"]]}


def test_pas_la_personne_du_dossier_existant():
	plan = plan_de(AIDES_DURANT, contexte(existants=[DURAND]))
	(ligne,) = plan.lignes
	assert (ligne.issue, ligne.beneficiaire) == ("review", "nouveau-1")
	(cas,) = plan.a_verifier
	assert (cas["lignes"], cas["dossier"]) == ([["Aides", 1]], "S-00001")

	decision = {**cas, "decision": "distinctes"}
	plan = plan_de(AIDES_DURANT, contexte([decision], existants=[DURAND]))
	(ligne,) = plan.lignes
	assert (ligne.issue, ligne.beneficiaire) == ("imported", "nouveau-1")
	assert "Pas la personne du dossier existant S-00001 : décidé par un agent." in ligne.raisons
	assert plan.a_verifier == [] and plan.decisions[0]["appliquee"]


def test_c_est_la_personne_du_dossier_existant():
	decision = {"lignes": [["Aides", 1]], "dossier": "S-00001", "decision": "meme"}
	plan = plan_de(AIDES_DURANT, contexte([decision], existants=[DURAND]))
	(ligne,) = plan.lignes
	assert (ligne.issue, ligne.beneficiaire) == ("merged", "S-00001")
	assert plan.a_verifier == [] and plan.decisions[0]["appliquee"]


def test_un_dossier_non_propose_n_est_jamais_pris():
	"""A decision naming a file the matching does not propose for these rows (another structure's,
	or typed by hand) is not applied: the rows never go to it."""
	decision = {"lignes": [["Aides", 1]], "dossier": "AUTRE-00001", "decision": "meme"}
	plan = plan_de(AIDES_DURANT, contexte([decision], existants=[DURAND]))
	(ligne,) = plan.lignes
	assert ligne.beneficiaire == "nouveau-1" and ligne.issue == "review"
	assert plan.decisions[0] == {
		**decision,
		"appliquee": False,
		"pourquoi": "ce dossier n'est plus proposé pour ces lignes",
	}


def test_plusieurs_dossiers_certains_la_personne_choisit():
	"""Two existing files are certainly this person (a duplicate already in the structure): each is
	a case of the review list; the person says which one takes the rows."""
	doublon = {**DURAND, "name": "S-00002"}
	feuilles = {"Aides": [["Nom", "Prénom", "DDN", "Date"], ["DURAND", "Émile", "08/07/1950", "01/01/2024"]]}
	plan = plan_de(feuilles, contexte(existants=[DURAND, doublon]))
	assert [c["dossier"] for c in plan.a_verifier] == ["S-00001", "S-00002"]
	assert (plan.lignes[0].issue, plan.lignes[0].beneficiaire) == ("review", "S-00001")
	choix = {"lignes": [["Aides", 1]], "dossier": "S-00002", "decision": "meme"}
	plan = plan_de(feuilles, contexte([choix], existants=[DURAND, doublon]))
	assert (plan.lignes[0].issue, plan.lignes[0].beneficiaire) == ("merged", "S-00002")
	ecarte = {"lignes": [["Aides", 1]], "dossier": "S-00001", "decision": "distinctes"}
	plan = plan_de(feuilles, contexte([ecarte], existants=[DURAND, doublon]))
	assert (plan.lignes[0].issue, plan.lignes[0].beneficiaire) == ("merged", "S-00002")


@pytest.mark.parametrize(
	"valeur, message",
	[
		({"lignes": [["A", 1], ["B", 2]]}, "doit valoir « meme » ou « distinctes »"),
		([{"lignes": [["A", 1]], "decision": "meme"}], "au moins deux lignes, ou un dossier existant"),
		([{"lignes": "A1", "decision": "meme"}], "doit nommer ses lignes comme le rapport"),
		([{"lignes": [["A", 1], ["B", 2]], "decision": "oui"}], "doit valoir « meme » ou « distinctes »"),
		(["meme"], "n'est pas un objet JSON"),
	],
)
def test_decisions_mal_formees(valeur, message):
	with pytest.raises(ValueError, match=message):
		lire_decisions(valeur if isinstance(valeur, list) else [valeur])


def test_premieres_formes_des_decisions_lues():
	assert lire_decisions(
		[
			{"ligne": ["A", 1], "avec": ["B", 2]},
			{"ligne": ["A", 1], "dossier": "S-1"},
			{"ligne": ["C", 3], "seule": True},
		]
	) == [
		{"lignes": [["A", 1], ["B", 2]], "decision": "meme"},
		{"lignes": [["A", 1]], "decision": "meme", "dossier": "S-1"},
		{"lignes": [["C", 3]], "decision": "seule"},
	]


# --- Stored on the import, followed by the dry run, the real run and the command -------------------


def classeur_a_decider() -> bytes:
	"""Paul Petitjean born 1961 here, 1960 there (perhaps one person); Émile Durant, one letter
	from the existing file of Émile Durand born the same day (perhaps that person)."""
	return xlsx(
		{
			"Aides": [
				["Nom", "Prénom", "Date de naissance", "Montant accordé", "Date de la demande"],
				["PETITJEAN", "Paul", "03/04/1961", 40, "20/01/2024"],
				["DURANT", "Émile", "08/07/1950", 80, "02/02/2024"],
			],
			"Visites": [
				["Nom", "Prénom", "Date de naissance", "Visite 1"],
				["Petitjean", "Paul", "03/04/1960", "15/04/2024"],
			],
		}
	)


def cas_decides(rapport: dict) -> list[dict]:
	"""The report's review list, decided: Paul Petitjean is one person, Émile Durant is not the
	existing file. Only the keys the report gives (the command reads these cases back)."""
	decisions = []
	for cas in rapport["a_verifier"]:
		decisions.append({**cas, "decision": "distinctes" if cas.get("dossier") else "meme"})
	return decisions


def issues(rapport: dict) -> dict:
	return {(l["sheet"], l["row"]): (l["outcome"], l["beneficiaire"]) for l in rapport["lignes"]}


def test_ligne_de_commande_essai_puis_import_avec_les_decisions(structure_import, tmp_path):
	structure = structure_import.nom
	durand = make_beneficiaire(structure, nom_usage="Durand", prenoms="Émile", date_naissance="1950-07-08")
	chemin = tmp_path / "a-decider.xlsx"
	chemin.write_bytes(classeur_a_decider())
	options = {"user": structure_import.resp, "afficher": lambda _t: None}

	essai = cli.importer(str(chemin), structure, essai=True, **options)
	avant = issues(essai)
	assert {v[0] for v in avant.values()} == {"review"}
	assert len(essai["a_verifier"]) == 2 and essai["decisions"] == []
	decisions = tmp_path / "decisions.json"
	decisions.write_text(json.dumps(cas_decides(essai), ensure_ascii=False))

	essai = cli.importer(str(chemin), structure, essai=True, decisions=str(decisions), **options)
	apres = issues(essai)
	assert essai["a_verifier"] == []
	assert all(d["appliquee"] for d in essai["decisions"]) and len(essai["decisions"]) == 2
	assert apres[("Aides", 1)] == apres[("Visites", 1)]
	assert apres[("Aides", 1)][0] == "imported" and apres[("Aides", 2)][0] == "imported"
	assert apres[("Aides", 2)][1] != durand.name

	rapport_json = tmp_path / "rapport.json"
	rapport = cli.importer(
		str(chemin),
		structure,
		json_rapport=str(rapport_json),
		decisions=str(decisions),
		transaction=Transaction(valider=False),
		**options,
	)
	ecrit = json.loads(rapport_json.read_text())
	lignes = issues(ecrit)
	assert {v[0] for v in lignes.values()} == {"imported"}
	assert lignes[("Aides", 1)][1] == lignes[("Visites", 1)][1]
	petitjean = lignes[("Aides", 1)][1]
	assert frappe.db.count("Accompagnement", {"beneficiaire": petitjean}) == 2
	durant = lignes[("Aides", 2)][1]
	assert durant != durand.name and frappe.db.get_value("Beneficiaire", durant, "nom_usage") == "DURANT"
	assert frappe.db.count("Accompagnement", {"beneficiaire": durand.name}) == 0
	# The decisions are the import's: visible on it in the desk, and run again with it.
	doc = frappe.get_doc("Import Classeur", rapport["import_classeur"])
	assert lire_decisions(json.loads(doc.decisions)) == lire_decisions(json.loads(decisions.read_text()))


def test_decisions_du_formulaire_suivies_par_l_essai_et_l_import(structure_import):
	structure = structure_import.nom
	durand = make_beneficiaire(structure, nom_usage="Durand", prenoms="Émile", date_naissance="1950-07-08")
	with as_user(structure_import.resp):
		url = televerser(classeur_a_decider(), "a-decider.xlsx")
		doc = frappe.get_doc({"doctype": "Import Classeur", "structure": structure, "fichier": url}).insert()
		synthese = api.essai(doc.name)
		assert synthese["resume"]["a_verifier"] == 3 and len(synthese["a_verifier"]) == 2
		dossier = next(c for c in synthese["a_verifier"] if c.get("dossier"))
		assert (dossier["dossier"], dossier["nom_dossier"]) == (durand.name, "DURAND Émile")
		# What the desk stores: each case's rows, as the report numbers them, and the decision.
		doc.reload()
		doc.decisions = json.dumps(
			[
				{
					"lignes": [[l["feuille"], l["ligne"]] for l in c["lignes"]],
					**({"dossier": c["dossier"]} if c.get("dossier") else {}),
					"decision": "distinctes",
				}
				for c in synthese["a_verifier"]
			]
		)
		doc.save()
		synthese = api.essai(doc.name)
		assert synthese["a_verifier"] == []
		assert synthese["resume"]["a_verifier"] == 0 and synthese["resume"]["personnes_creees"] == 3
		# The decisions taken, named for the desk's list.
		noms = sorted(tuple(l["nom"] for l in d["lignes"]) for d in synthese["decisions"])
		assert noms == [("DURANT Émile",), ("PETITJEAN Paul", "PETITJEAN Paul")]
		assert all(d["appliquee"] for d in synthese["decisions"])
		rapport = execution.executer(doc.name, transaction=Transaction(valider=False))
	assert rapport["resume"]["a_verifier"] == 0 and rapport["resume"]["personnes_creees"] == 3
	assert {l["outcome"] for l in rapport["lignes"]} == {"imported"}
	assert frappe.db.count("Beneficiaire", {"structure": structure, "nom_usage": "PETITJEAN"}) == 2
	assert frappe.db.count("Accompagnement", {"beneficiaire": durand.name}) == 0


def test_decisions_invalides_refusees_sur_l_import(structure_import):
	with as_user(structure_import.resp):
		url = televerser(classeur_a_decider(), "a-decider.xlsx")
		doc = frappe.get_doc(
			{"doctype": "Import Classeur", "structure": structure_import.nom, "fichier": url}
		)
		doc.decisions = json.dumps([{"lignes": [["Aides", 1]], "decision": "meme"}])
		with pytest.raises(frappe.ValidationError, match="au moins deux lignes"):
			doc.insert()


def test_commande_bench_avec_un_fichier_de_decisions(structure_import, tmp_path):
	"""The real command: `--decisions` reaches the dry run, and REPORT.json follows it."""
	chemin = tmp_path / "a-decider.xlsx"
	chemin.write_bytes(classeur_a_decider())
	decisions = tmp_path / "decisions.json"
	decisions.write_text(
		json.dumps([{"lignes": [["Aides", 1], ["Visites", 1]], "decision": "meme"}]), encoding="utf-8"
	)
	rapport_json = tmp_path / "rapport.json"
	resultat = subprocess.run(
		[
			str(BENCH / "suivi"),
			"bench",
			"--site",
			TEST_SITE,
			"import-legacy",
			str(chemin),
			"--structure",
			structure_import.nom,
			"--dry-run",
			"--json",
			str(rapport_json),
			"--decisions",
			str(decisions),
		],
		capture_output=True,
		text=True,
		timeout=300,
		env={**os.environ, "PWD": str(tmp_path)},
	)
	assert resultat.returncode == 0, resultat.stderr[-2000:]
	assert "1 décisions appliquées sur 1" in resultat.stdout
	lignes = issues(json.loads(rapport_json.read_text()))
	assert lignes[("Aides", 1)] == lignes[("Visites", 1)] and lignes[("Aides", 1)][0] == "imported"

	decisions.write_text('[{"lignes": "Aides"}]', encoding="utf-8")
	resultat = subprocess.run(
		resultat.args, capture_output=True, text=True, timeout=300, env={**os.environ, "PWD": str(tmp_path)}
	)
	assert resultat.returncode == 1
	assert "Décisions sur les doublons" in resultat.stderr and "comme le rapport" in resultat.stderr
