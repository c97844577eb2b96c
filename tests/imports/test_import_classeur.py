"""The Import Classeur record, as the desk drives it: who may import where, isolation between
structures, private files, dry run, run, templates reused."""

import frappe
import pytest

from suivi_social.exceptions import HorsStructure
from suivi_social.imports import cli, execution
from suivi_social.imports.ecriture import Transaction
from suivi_social.roles import ADMINISTRATEUR
from tests.conftest import as_user
from tests.factories import make_type, make_user
from tests.imports.outils import petit_classeur, televerser
from tests.imports.verite import ECHANTILLON


def liste(doctype: str) -> list[str]:
	"""What the user lists (nothing when the role may not read the DocType at all)."""
	try:
		return frappe.get_list(doctype, pluck="name", limit_page_length=0)
	except frappe.PermissionError:
		return []


def nouvel_import(structure: str, agent: str | None = None):
	url = televerser(petit_classeur(), "aides-2024.xlsx")
	doc = frappe.get_doc(
		{"doctype": "Import Classeur", "structure": structure, "fichier": url, "agent_par_defaut": agent}
	)
	return doc.insert()


def test_responsable_essai_puis_import(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		assert frappe.db.get_value("File", {"file_url": doc.fichier}, "attached_to_name") == doc.name
		execution.preparer(doc)
		doc.save()
		feuilles = {r.nom_feuille: r for r in doc.feuilles}
		assert feuilles["Aides"].lignes == 5 and feuilles["Visites"].lignes == 1
		# The structure's "Aide d'urgence" is proposed for the sheet "Aides".
		assert feuilles["Aides"].typologie == monde.aide_a
		avant = frappe.db.count("Beneficiaire", {"structure": monde.a})
		rapport = execution.analyser(doc)
		assert frappe.db.count("Beneficiaire", {"structure": monde.a}) == avant
		assert doc.statut == "Analysé" and doc.rapport_analyse
		assert rapport["resume"]["lignes"] == doc.lignes_total == 6
		assert rapport["resume"]["rejetees"] == 1
		execution.lancer(doc)
		assert doc.statut == "En attente"
		resultat = execution.executer(doc.name, transaction=Transaction(valider=False))
	doc.reload()
	assert doc.statut == "Terminé" and doc.progression == 100
	assert doc.personnes_creees == 3 == resultat["resume"]["personnes_creees"]
	assert frappe.db.count("Beneficiaire", {"structure": monde.a}) == avant + 3
	assert doc.fichier_rejets and doc.rapport
	assert "Aide d'urgence : 4" in doc.resume_typologies
	# The rejected rows, with their reason, to fix and import again.
	import io

	import openpyxl

	rejets = openpyxl.load_workbook(
		io.BytesIO(frappe.get_doc("File", {"file_url": doc.fichier_rejets}).get_content())
	)
	lignes = list(rejets["Aides"].iter_rows(values_only=True))
	assert lignes[0][-2:] == ("Motif du rejet", "Ligne d'origine")
	assert "le nom de la personne est vide" in lignes[1][-2] and lignes[1][-1] == 8


def test_seuls_admin_et_responsable_importent(monde):
	for user in (monde.ts_a, monde.acc_a):
		with as_user(user):
			assert not frappe.has_permission("Import Classeur", "create")
			with pytest.raises(frappe.PermissionError):
				nouvel_import(monde.a)
	admin = make_user("admin-suivi@test.fr", ADMINISTRATEUR)
	with as_user(admin):
		assert nouvel_import(monde.b).structure == monde.b


def test_l_administrateur_lance_un_import(monde):
	"""The Administrateur Suivi social is agent of no structure: launching was refused (« Lancé par :
	… n'est pas un agent de la structure »), found by tests/navigateur/test_parcours_import.py."""
	admin = make_user("admin-suivi@test.fr", ADMINISTRATEUR)
	with as_user(admin):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		execution.preparer(doc)
		doc.save()
		execution.analyser(doc)
		execution.lancer(doc)
		assert (doc.statut, doc.lance_par) == ("En attente", admin)
	# Naming someone else who is not an agent of the structure is still refused.
	with as_user(monde.resp_a):
		autre = nouvel_import(monde.a, agent=monde.ts_a)
		autre.lance_par = admin
		with pytest.raises(frappe.ValidationError, match="n'est pas un agent"):
			autre.save()


def test_un_responsable_importe_seulement_dans_sa_structure(monde):
	with as_user(monde.resp_a), pytest.raises((frappe.PermissionError, HorsStructure)):
		nouvel_import(monde.b)
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a)
	with as_user(monde.resp_b):
		assert not frappe.has_permission("Import Classeur", "read", doc.name)
		for etape in (execution.preparer, execution.analyser, execution.lancer):
			with pytest.raises(frappe.PermissionError):
				etape(doc)
		with pytest.raises(frappe.PermissionError):
			cli.importer(str(ECHANTILLON), monde.a, essai=True, user=monde.resp_b, afficher=lambda _t: None)


def test_isolement_un_utilisateur_de_b_ne_voit_pas_les_imports_de_a(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		execution.analyser(doc)
		frappe.get_doc(
			{
				"doctype": "Correspondance Referent",
				"structure": monde.a,
				"code": "AR",
				"utilisateur": monde.ts_a,
			}
		).insert()
		execution.executer(doc.name, transaction=Transaction(valider=False))
	doc.reload()
	fichiers = [doc.fichier, doc.rapport_analyse, doc.rapport, doc.fichier_rejets]
	assert all(fichiers)
	a_voir = {
		"Import Classeur": doc.name,
		"Modele Import": frappe.db.get_value("Modele Import", {"structure": monde.a}),
		"Correspondance Referent": frappe.db.get_value("Correspondance Referent", {"structure": monde.a}),
		"Ligne Importee": frappe.db.get_value("Ligne Importee", {"import_classeur": doc.name}),
	}
	assert all(a_voir.values())
	for user in (monde.resp_b, monde.ts_b):
		with as_user(user):
			for doctype, name in a_voir.items():
				assert name not in liste(doctype), (user, doctype)
				assert not frappe.has_permission(doctype, "read", name), (user, doctype)
	# The workbook, the reports and the rejected rows: private, only for who may import into A.
	for user, attendu in (
		(monde.resp_a, True),
		(monde.resp_b, False),
		(monde.ts_a, False),
		(monde.acc_a, False),
	):
		with as_user(user):
			listes = set(frappe.get_list("File", pluck="file_url", limit_page_length=0))
			for url in fichiers:
				fichier = frappe.get_doc("File", {"file_url": url, "attached_to_name": doc.name})
				assert fichier.is_private
				assert bool(frappe.has_permission("File", "read", fichier)) == attendu, (user, url)
				if user != monde.resp_a:
					assert url not in listes, (user, url)


def test_fichier_d_un_autre_refuse(monde):
	"""An import cannot name another record's private file by its URL."""
	with as_user(monde.resp_b):
		url = televerser(b"Nom;Prenom\nA;B\n", "b.csv")
	with (
		as_user(monde.resp_a),
		pytest.raises(frappe.ValidationError, match="n'est pas un fichier téléversé pour cet import"),
	):
		frappe.get_doc({"doctype": "Import Classeur", "structure": monde.a, "fichier": url}).insert()


def test_modele_reapplique_et_typologie_nouvelle(monde, fichiers_ecrits):
	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		execution.preparer(doc)
		visites = next(r for r in doc.feuilles if r.nom_feuille == "Visites")
		visites.typologie, visites.nouvelle_typologie = None, "Visites à domicile"
		doc.save()
		execution.executer(doc.name, transaction=Transaction(valider=False))
		nouveau_type = frappe.db.get_value(
			"Type Accompagnement", {"structure": monde.a, "nom": "Visites à domicile"}
		)
		assert nouveau_type
		second = nouvel_import(monde.a, agent=monde.ts_a)
		execution.preparer(second)
	feuilles = {r.nom_feuille: r for r in second.feuilles}
	assert feuilles["Visites"].modele and feuilles["Visites"].typologie == nouveau_type
	assert feuilles["Aides"].modele


def test_correspondance_referent_agent_de_la_structure(monde):
	with (
		as_user(monde.resp_a),
		pytest.raises(frappe.ValidationError, match="n'est pas un agent de la structure"),
	):
		frappe.get_doc(
			{
				"doctype": "Correspondance Referent",
				"structure": monde.a,
				"code": "JB",
				"utilisateur": monde.ts_b,
			}
		).insert()
	make_type(monde.a, "Domiciliation")


def test_api_du_bureau(monde, fichiers_ecrits):
	from suivi_social.imports import api

	with as_user(monde.resp_a):
		doc = nouvel_import(monde.a, agent=monde.ts_a)
		assert {c["cible"] for c in api.cibles()} >= {"nom_prenom", "date_repetee", "montant_accorde"}
		assert len(api.preparer(doc.name)["feuilles"]) == 2
		resume = api.essai(doc.name)["resume"]
		assert resume["lignes"] == 6
		rejetees = api.lignes(doc.name, essai=1, issue="rejected")
		assert rejetees["total"] == 1 and rejetees["lignes"][0]["sheet"] == "Aides"
		assert api.lancer(doc.name) == f"import_classeur::{doc.name}"
	with as_user(monde.resp_b):
		for appel in (api.preparer, api.essai, api.lancer, api.lignes):
			with pytest.raises(frappe.PermissionError):
				appel(doc.name)
