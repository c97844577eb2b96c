"""The scriptable import on the shared sample, measured against its ground truth.

Prints the figures (people found vs real people, pairwise precision and recall of the person
matching, outcomes) and fails below the goals: precision ≥ 0.99, recall ≥ 0.97, every row of the
truth accounted for once."""

import json
import os
import subprocess

import frappe

from suivi_social.imports import cli
from suivi_social.imports.ecriture import Transaction
from tests.conftest import BENCH, TEST_SITE
from tests.imports.conftest import MESURES
from tests.imports.verite import (
	ECHANTILLON,
	OBJECTIF_PRECISION,
	OBJECTIF_RAPPEL,
	afficher,
	charger_verite,
	mesurer,
)

ISSUES = {"imported", "merged", "review", "rejected"}


def verifier(rapport: dict) -> dict:
	mesures = mesurer(rapport, charger_verite())
	MESURES.append("Échantillon partagé : " + afficher(mesures))
	assert not mesures["lignes_manquantes"], mesures["lignes_manquantes"][:10]
	assert not mesures["lignes_en_trop"], mesures["lignes_en_trop"][:10]
	assert set(mesures["issues"]) <= ISSUES
	assert sum(mesures["issues"].values()) == mesures["lignes_attendues"]
	resume = rapport["resume"]
	assert (
		resume["importees"] + resume["fusionnees"] + resume["a_verifier"] + resume["rejetees"]
		== resume["lignes"]
	)
	assert mesures["precision"] >= OBJECTIF_PRECISION, afficher(mesures)
	assert mesures["rappel"] >= OBJECTIF_RAPPEL, afficher(mesures)
	for ligne in rapport["lignes"]:
		if ligne["outcome"] in ("rejected", "review"):
			assert ligne["reasons"], ligne
		if ligne["outcome"] != "rejected":
			assert ligne["beneficiaire"], ligne
	return mesures


def test_essai_en_ligne_de_commande(structure_import, tmp_path):
	"""The real command, in its own process: the dry run writes nothing and reports every row."""
	avant = (
		frappe.db.count("Beneficiaire", {"structure": structure_import.nom}),
		frappe.db.count("Import Classeur"),
	)
	rapport_json = tmp_path / "rapport.json"
	resultat = subprocess.run(
		[
			str(BENCH / "suivi"),
			"bench",
			"--site",
			TEST_SITE,
			"import-legacy",
			str(ECHANTILLON),
			"--structure",
			structure_import.nom,
			"--dry-run",
			"--json",
			str(rapport_json),
		],
		capture_output=True,
		text=True,
		timeout=300,
		env={**os.environ, "PWD": str(tmp_path)},
	)
	assert resultat.returncode == 0, resultat.stderr[-2000:]
	print(resultat.stdout)
	assert "Essai (rien n'est écrit)" in resultat.stdout
	rapport = json.loads(rapport_json.read_text())
	mesures = verifier(rapport)
	assert mesures["personnes_trouvees"] == mesures["personnes_reelles"] == 349
	frappe.db.rollback()
	assert (
		frappe.db.count("Beneficiaire", {"structure": structure_import.nom}),
		frappe.db.count("Import Classeur"),
	) == avant


def test_import_reel_puis_reimport(structure_import, tmp_path):
	"""The same import, written (in this test's transaction): the files and accompaniments of the
	report are in the database; importing the same file again creates nothing."""
	structure = structure_import.nom
	rapport = cli.importer(
		str(ECHANTILLON),
		structure,
		json_rapport=str(tmp_path / "import.json"),
		user=structure_import.resp,
		transaction=Transaction(valider=False),
		afficher=print,
	)
	verifier(rapport)
	resume = rapport["resume"]
	assert frappe.db.count("Beneficiaire", {"structure": structure}) == resume["personnes_creees"] == 349
	assert frappe.db.count("Accompagnement", {"structure": structure}) == resume["accompagnements"] > 766
	ecrites = sum(1 for l in rapport["lignes"] if l["outcome"] != "rejected")
	assert frappe.db.count("Ligne Importee", {"structure": structure}) == ecrites
	# Every row went to the file the report names, in the structure.
	for ligne in rapport["lignes"][:50]:
		if ligne["outcome"] != "rejected":
			assert frappe.db.get_value("Beneficiaire", ligne["beneficiaire"], "structure") == structure
	doc = frappe.get_doc("Import Classeur", rapport["import_classeur"])
	assert (doc.statut, doc.personnes_creees, doc.lignes_total) == ("Terminé", 349, 766)
	assert (
		doc.rapport and json.loads(frappe.get_doc("File", {"file_url": doc.rapport}).get_content())["resume"]
	)
	# One template per sheet, applied to the next import of the same headers.
	assert frappe.db.count("Modele Import", {"structure": structure}) == 7

	encore = cli.importer(
		str(ECHANTILLON),
		structure,
		user=structure_import.resp,
		transaction=Transaction(valider=False),
		afficher=print,
	)
	assert encore["resume"]["deja_importees"] == ecrites
	assert encore["resume"]["personnes_creees"] == encore["resume"]["accompagnements"] == 0
	assert frappe.db.count("Beneficiaire", {"structure": structure}) == 349
	assert frappe.db.count("Accompagnement", {"structure": structure}) == resume["accompagnements"]
	assert {f["modele"] for f in encore["feuilles"]} == set(
		frappe.get_all("Modele Import", filters={"structure": structure}, pluck="name")
	)
