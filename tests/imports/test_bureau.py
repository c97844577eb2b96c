"""What the desk's import form and « Fusionner avec un autre dossier » need from the server: the
upload of a new form, samples under each column, the report's summary, the référents' table, a
dry run to do again after a change, one report file per step, the merge's preview."""

import json

import frappe
import pytest

from suivi_social.api import fusion as api_fusion
from suivi_social.exceptions import DonneeInvalide
from suivi_social.imports import api, execution
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_beneficiaire
from tests.imports.outils import petit_classeur, televerser


def nouvel_import(structure: str, agent: str | None = None):
	url = televerser(petit_classeur(), "aides-2024.xlsx")
	doc = frappe.get_doc(
		{"doctype": "Import Classeur", "structure": structure, "fichier": url, "agent_par_defaut": agent}
	)
	return doc.insert()


def test_televersement_du_nouveau_formulaire(monde, fichiers_ecrits):
	"""The desk uploads into the unsaved form, attaching the file to its temporary name; the insert
	accepts it and Frappe relinks it. Another user's upload stays refused."""
	temporaire = "new-import-classeur-xyz1"
	with as_user(monde.resp_a):
		fichier = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "aides.xlsx",
				"is_private": 1,
				"content": petit_classeur(),
				"attached_to_doctype": "Import Classeur",
				"attached_to_name": temporaire,
				"attached_to_field": "fichier",
			}
		).insert(ignore_permissions=True)
		doc = frappe.get_doc(
			{"doctype": "Import Classeur", "structure": monde.a, "fichier": fichier.file_url}
		)
		doc.__temporary_name = temporaire
		doc.insert()
	assert doc.nom_fichier == "aides.xlsx"
	assert frappe.db.get_value("File", fichier.name, "attached_to_name") == doc.name

	with as_user(monde.resp_b):
		autre = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "b.csv",
				"is_private": 1,
				"content": b"Nom;Prenom\nA;B\n",
				"attached_to_doctype": "Import Classeur",
				"attached_to_name": temporaire,
				"attached_to_field": "fichier",
			}
		).insert(ignore_permissions=True)
	with (
		as_user(monde.resp_a),
		pytest.raises(frappe.ValidationError, match="n'est pas un fichier téléversé pour cet import"),
	):
		doc = frappe.get_doc({"doctype": "Import Classeur", "structure": monde.a, "fichier": autre.file_url})
		doc.__temporary_name = temporaire
		doc.insert()


def test_exemples_sous_chaque_colonne(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		execution.preparer(doc)
	aides = next(r for r in doc.feuilles if r.nom_feuille == "Aides")
	colonnes = {c["entete"]: c for c in json.loads(aides.correspondance)}
	# The first distinct values, as text; a column with none says so by an empty list.
	assert colonnes["Nom Prénom"]["exemples"] == ["PERRIER Monique", "Perrier monique", "RAYMOND Jeanne"]
	assert colonnes["Date commission"]["exemples"][0] == "20/10/2023"
	assert colonnes["Nom Prénom"]["cible"] == "nom_prenom"


def test_essai_a_refaire_apres_un_changement(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		execution.analyser(doc)
		assert doc.statut == "Analysé"
		# Saved again as it is (new samples, same choices): the dry run still holds.
		execution.preparer(doc)
		doc.save()
		assert doc.statut == "Analysé"
		aides = next(r for r in doc.feuilles if r.nom_feuille == "Aides")
		colonnes = json.loads(aides.correspondance)
		next(c for c in colonnes if c["entete"] == "Commune")["cible"] = "note"
		aides.correspondance = json.dumps(colonnes)
		doc.save()
		assert doc.statut == "Brouillon"
		execution.analyser(doc)
		assert doc.statut == "Analysé"
		doc.decisions = json.dumps([{"ligne": ["Aides", 1], "seule": True}])
		doc.save()
		assert doc.statut == "Brouillon"


def test_un_seul_rapport_d_essai_joint(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		execution.analyser(doc)
		premier = doc.rapport_analyse
		execution.analyser(doc)
	rapports = frappe.get_all(
		"File",
		filters={"attached_to_name": doc.name, "attached_to_field": "rapport_analyse"},
		pluck="file_url",
	)
	assert rapports == [doc.rapport_analyse] and not frappe.db.exists("File", {"file_url": premier})


def test_synthese_du_rapport(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		synthese = api.essai(doc.name)
		# The stored report gives the same summary after a reload of the form.
		assert api.rapport(doc.name, essai=1) == synthese
		assert api.rapport(doc.name, essai=0) == {}
	aides = next(f for f in synthese["feuilles"] if f["nom"] == "Aides")
	assert "colonnes" not in aides
	assert sum(aides["issues"].values()) == aides["lignes"] == 5 and aides["issues"]["rejected"] == 1
	# AR and NT have no correspondence in the structure.
	assert synthese["referents_inconnus"] == ["AR", "NT"]
	lignes = api.lignes(doc.name, essai=1, feuille="Visites")
	assert lignes["total"] == 1 and lignes["lignes"][0]["nom"] == "RAYMOND Jeanne"


def test_doublons_a_verifier_nommes(monde, fichiers_ecrits):
	rapport = {
		"lignes": [
			{"sheet": "Aides", "row": 1, "ligne_feuille": 4, "nom": "MARTIN Jeanne", "outcome": "review"},
			{"sheet": "Visites", "row": 2, "ligne_feuille": 3, "nom": "MARTIN Jeane", "outcome": "review"},
		],
		"feuilles": [],
		"a_verifier": [
			{"lignes": [["Aides", 1], ["Visites", 2]], "raison": "une lettre diffère"},
			{"lignes": [["Aides", 1]], "dossier": monde.ben_a.name, "raison": "même nom"},
		],
	}
	with as_user(monde.resp_a):
		synthese = api.synthese(rapport)
	paire, dossier = synthese["a_verifier"]
	assert paire["lignes"] == [
		{"feuille": "Aides", "ligne": 1, "ligne_feuille": 4, "nom": "MARTIN Jeanne"},
		{"feuille": "Visites", "ligne": 2, "ligne_feuille": 3, "nom": "MARTIN Jeane"},
	]
	assert dossier["nom_dossier"] == frappe.db.get_value("Beneficiaire", monde.ben_a.name, "nom_complet")
	# A file of another structure is never named.
	rapport["a_verifier"][1]["dossier"] = monde.ben_b.name
	with as_user(monde.resp_a):
		assert api.synthese(rapport)["a_verifier"][1]["nom_dossier"] is None


def test_table_des_referents(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		assert api.referents(doc.name, json.dumps({"AR": monde.ts_a, "NT": ""})) == 1
		assert api.essai(doc.name)["referents_inconnus"] == ["NT"]
	assert (
		frappe.db.get_value("Correspondance Referent", {"structure": monde.a, "code": "AR"}, "utilisateur")
		== monde.ts_a
	)
	# Only an agent of the structure, and only by who may import into it.
	with as_user(monde.resp_a), pytest.raises(frappe.ValidationError):
		api.referents(doc.name, {"NT": monde.ts_b})
	with as_user(monde.resp_b), pytest.raises(frappe.PermissionError):
		api.referents(doc.name, {"NT": monde.ts_b})


def test_apercu_de_la_fusion(monde):
	garde = make_beneficiaire(
		monde.a, nom_usage="Lévêque", prenoms="Marie-Claire", date_naissance="1944-03-02"
	)
	absorbe = frappe.get_doc(
		{
			"doctype": "Beneficiaire",
			"structure": monde.a,
			"nom_usage": "LEVEQUE",
			"prenoms": "Marie",
			"date_naissance": "1944-03-02",
			"doublon_confirme": 1,
		}
	).insert(ignore_permissions=True)
	make_accompagnement(absorbe.name, monde.type_a, monde.ts_a)
	with as_user(monde.resp_a):
		apercu = api_fusion.apercu(garde.name, absorbe.name)
		assert (apercu["garde"]["name"], apercu["absorbe"]["nom_complet"]) == (garde.name, "LEVEQUE Marie")
		assert (apercu["accompagnements"], apercu["rappels"], apercu["documents"]) == (1, 0, 0)
		assert apercu["peut_fusionner"]
		with pytest.raises(DonneeInvalide):
			api_fusion.apercu(garde.name, garde.name)
	# A travailleur social of the structure merges too; the agent d'accueil reads both files, never.
	with as_user(monde.ts_a):
		assert api_fusion.apercu(garde.name, absorbe.name)["peut_fusionner"]
	with as_user(monde.acc_a):
		apercu = api_fusion.apercu(garde.name, absorbe.name)
		assert not apercu["peut_fusionner"] and apercu["refus"].startswith("Seuls le responsable")
	with as_user(monde.resp_b), pytest.raises(frappe.PermissionError):
		api_fusion.apercu(garde.name, absorbe.name)
	with as_user(monde.resp_a), pytest.raises((frappe.PermissionError, DonneeInvalide)):
		api_fusion.apercu(garde.name, monde.ben_b.name)
