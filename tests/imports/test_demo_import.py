"""The demo's past import: created with the real engine, and removable record by record."""

import frappe

from suivi_social.imports import demo
from suivi_social.roles import RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.factories import make_structure, make_user


def test_import_de_demonstration_cree_puis_efface(fichiers_ecrits):
	structure = make_structure("CCAS Démo Import Test", "DIT")
	responsable = make_user("resp-demo-import@test.fr", RESPONSABLE, structures=(structure,))
	agent = make_user("ts-demo-import@test.fr", TRAVAILLEUR_SOCIAL, structures=(structure,))
	crees = demo.importer_classeur_de_demonstration(structure, responsable, agent)
	doc = frappe.get_doc("Import Classeur", next(n for d, n in crees if d == "Import Classeur"))
	assert doc.statut == "Terminé" and doc.rapport_analyse and doc.rapport and doc.fichier_rejets
	assert (doc.personnes_creees, doc.lignes_rejetees, doc.lignes_a_verifier) == (3, 1, 1)
	assert frappe.db.count("Beneficiaire", {"structure": structure}) == 3
	# Once only.
	assert demo.importer_classeur_de_demonstration(structure, responsable, agent) == []
	for doctype, name in reversed(crees):
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
	for doctype in (
		"Beneficiaire",
		"Accompagnement",
		"Import Classeur",
		"Ligne Importee",
		"Modele Import",
		"Correspondance Referent",
	):
		assert frappe.db.count(doctype, {"structure": structure}) == 0, doctype
