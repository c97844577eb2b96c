"""Each structure owns its typologies; only its Responsable edits them; a used one is not deleted."""

import frappe
import pytest

from suivi_social.exceptions import DonneeInvalide, TypologieUtilisee
from tests.conftest import as_user


def test_catalogue_installe_et_copie(monde):
	assert frappe.db.count("Modele Type Accompagnement") >= 20
	with as_user(monde.resp_a):
		structure = frappe.get_doc("Structure", monde.a)
		crees = structure.importer_catalogue()
		assert crees >= 20
		assert structure.importer_catalogue() == 0
		assert frappe.db.exists("Type Accompagnement", {"structure": monde.a, "nom": "Aide au permis"})


def test_le_responsable_gere_sa_structure_seulement(monde):
	with as_user(monde.resp_a):
		frappe.get_doc(
			{"doctype": "Type Accompagnement", "structure": monde.a, "nom": "Aide au permis"}
		).insert()
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Type Accompagnement", "structure": monde.b, "nom": "Aide au permis"}
			).insert()


def test_le_travailleur_social_ne_cree_pas_de_typologie(monde):
	with as_user(monde.ts_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc({"doctype": "Type Accompagnement", "structure": monde.a, "nom": "Autre"}).insert()


def test_nom_unique_par_structure(monde):
	with as_user(monde.resp_a):
		with pytest.raises(DonneeInvalide, match="existe déjà"):
			frappe.get_doc(
				{"doctype": "Type Accompagnement", "structure": monde.a, "nom": "Domiciliation"}
			).insert()


def test_typologie_utilisee_non_supprimable(monde):
	with as_user(monde.resp_a):
		with pytest.raises(TypologieUtilisee):
			frappe.delete_doc("Type Accompagnement", monde.aide_a, force=True)
	assert frappe.db.exists("Type Accompagnement", monde.aide_a)
