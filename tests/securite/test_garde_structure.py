"""One guard for every record that carries a structure (permissions.structure.garde_structure).

Frappe 15.44.2's save() checks the write permission on the document as sent, then fetch_from
overwrites `structure` from the linked file, then validate() runs: a check in a controller compared
the fetched structure with itself and could never fire. These tests move records to a file of
structure B as a user of A, and expect a refusal and nothing saved."""

import frappe
import pytest

from suivi_social.exceptions import HorsStructure
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_user


def rappel_a(monde, **values):
	return frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": "Relancer la CAF",
			"date_echeance": "2026-12-15",
			"beneficiaire": monde.ben_a.name,
			"assigne_a": monde.ts_a,
			**values,
		}
	).insert(ignore_permissions=True)


def test_deplacer_un_accompagnement_vers_un_dossier_de_b_est_refuse(monde):
	with as_user(monde.ts_a):
		acc = frappe.get_doc("Accompagnement", monde.acc_ben_a)
		acc.beneficiaire = monde.ben_b.name
		with pytest.raises(HorsStructure, match="Bénéficiaire : ne peut pas changer de structure"):
			acc.save()
	assert frappe.db.get_value("Accompagnement", monde.acc_ben_a, ["beneficiaire", "structure"]) == (
		monde.ben_a.name,
		monde.a,
	)


def test_deplacer_un_accompagnement_refuse_meme_sans_controle_de_permission(monde):
	"""The guard does not rely on the permission check: code saving with ignore_permissions is held too."""
	acc = frappe.get_doc("Accompagnement", monde.acc_ben_a)
	acc.beneficiaire = monde.ben_b.name
	with pytest.raises(HorsStructure):
		acc.save(ignore_permissions=True)


def test_deplacer_un_rappel_vers_un_dossier_de_b_est_refuse(monde):
	name = rappel_a(monde).name
	with as_user(monde.ts_a):
		rappel = frappe.get_doc("Rappel", name)
		rappel.beneficiaire = monde.ben_b.name
		with pytest.raises(HorsStructure, match="ne peut pas changer de structure"):
			rappel.save()
	assert frappe.db.get_value("Rappel", name, ["beneficiaire", "structure"]) == (monde.ben_a.name, monde.a)


def test_un_rappel_ne_peut_pas_viser_un_accompagnement_de_b(monde):
	with (
		as_user(monde.ts_a),
		pytest.raises(HorsStructure, match="Accompagnement : .* appartient à une autre structure"),
	):
		frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": "Relancer",
				"date_echeance": "2026-12-15",
				"structure": monde.a,
				"accompagnement": monde.acc_ben_b,
				"assigne_a": monde.ts_a,
			}
		).insert()


def test_creer_dans_la_structure_d_un_autre_est_refuse(monde):
	"""A new accompaniment on B's file: the fetched structure is checked against the user's."""
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError):
		frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": monde.ben_b.name,
				"structure": monde.a,
				"types_accompagnement": [{"type_accompagnement": monde.type_a}],
				"date": "2026-01-15",
				"mode": "Entretien téléphonique",
				"agent": monde.ts_a,
			}
		).insert()
	assert not frappe.db.exists("Accompagnement", {"beneficiaire": monde.ben_b.name, "agent": monde.ts_a})


def test_la_typologie_et_l_agent_sont_de_la_structure(monde):
	with pytest.raises(
		HorsStructure, match="Types d'accompagnement, ligne 1 .* appartient à une autre structure"
	):
		make_accompagnement(monde.ben_a.name, monde.type_b, monde.ts_a)
	with pytest.raises(HorsStructure, match="n'est pas un agent de la structure CCAS Test A"):
		make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_b)


def test_un_agent_parti_n_empeche_pas_de_modifier_ses_anciens_accompagnements(monde):
	"""Only new or changed user links are checked: the history of an agent who left stays editable."""
	parti = make_user("parti-a@test.fr", "Travailleur social", structures=(monde.a,))
	acc = make_accompagnement(monde.ben_a.name, monde.type_a, parti)
	frappe.db.delete("User Permission", {"user": parti})
	frappe.cache.delete_value("user_permissions")
	acc.reload()
	acc.statut = "Terminé"
	acc.save(ignore_permissions=True)
	assert frappe.db.get_value("Accompagnement", acc.name, "statut") == "Terminé"
	# Naming them again, or anyone outside the structure, is refused.
	acc.agent = monde.ts_b
	with pytest.raises(HorsStructure):
		acc.save(ignore_permissions=True)


def test_le_garde_couvre_chaque_doctype_qui_porte_une_structure():
	"""Declared for every DocType ("*"), so that a DocType added later is guarded too."""
	hooks = frappe.get_hooks("doc_events").get("*", {})
	assert "suivi_social.permissions.structure.garde_structure" in hooks.get("before_validate", [])
	with_structure = [
		dt
		for dt in frappe.get_all("DocType", filters={"istable": 0}, pluck="name")
		if (df := frappe.get_meta(dt).get_field("structure")) and df.options == "Structure"
	]
	assert {"Beneficiaire", "Accompagnement", "Rappel", "Type Accompagnement", "Compte Rendu Prive"} <= set(
		with_structure
	)


# The user's structure, pre-filled in every new record -----------------------------------------


@pytest.mark.parametrize("doctype", ["Beneficiaire", "Accompagnement", "Rappel", "Type Accompagnement"])
def test_la_structure_unique_de_l_agent_est_pre_remplie(monde, doctype):
	with as_user(monde.ts_a):
		assert frappe.new_doc(doctype).structure == monde.a
	with as_user(monde.ts_b):
		assert frappe.new_doc(doctype).structure == monde.b


def test_plusieurs_structures_la_premiere_par_defaut(monde):
	user = make_user("deux-structures@test.fr", "Travailleur social", structures=(monde.a, monde.b))
	frappe.cache.delete_value("user_permissions")
	defaults = frappe.get_all(
		"User Permission", filters={"user": user, "allow": "Structure", "is_default": 1}, pluck="for_value"
	)
	assert defaults == [monde.a]
	with as_user(user):
		assert frappe.new_doc("Beneficiaire").structure == monde.a
	# Leaving the default structure makes the other one the default.
	frappe.delete_doc(
		"User Permission",
		frappe.db.get_value("User Permission", {"user": user, "for_value": monde.a}),
		ignore_permissions=True,
	)
	assert frappe.db.get_value("User Permission", {"user": user, "is_default": 1}, "for_value") == monde.b
