"""Structure isolation on every read path: A's users never get a row or a count from B.

Each test would fail if its rule were removed: the permission hooks (structure criterion), strict
User Permissions, or one of the overrides of suivi_social/overrides.py."""

import frappe
import pytest
from frappe.desk.reportview import get_count as reportview_get_count

from suivi_social import overrides
from suivi_social.roles import TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.factories import make_user

DOCTYPES = ["Beneficiaire", "Accompagnement", "Type Accompagnement"]


def structures_vues(doctype):
	return set(frappe.get_list(doctype, pluck="structure", limit_page_length=0))


@pytest.mark.parametrize("doctype", DOCTYPES)
@pytest.mark.parametrize("role_user", ["resp_a", "ts_a", "acc_a"])
def test_get_list_ne_montre_que_sa_structure(monde, doctype, role_user):
	with as_user(getattr(monde, role_user)):
		assert structures_vues(doctype) == {monde.a}


def test_structures_listees(monde):
	with as_user(monde.ts_a):
		assert frappe.get_list("Structure", pluck="name") == [monde.a]


@pytest.mark.parametrize("role_user", ["resp_a", "ts_a", "acc_a"])
def test_document_d_une_autre_structure_refuse(monde, role_user):
	with as_user(getattr(monde, role_user)):
		assert not frappe.has_permission("Beneficiaire", "read", monde.ben_b.name)
		assert not frappe.has_permission("Accompagnement", "read", monde.acc_ben_b)
		with pytest.raises(frappe.PermissionError):
			frappe.client.get("Beneficiaire", monde.ben_b.name)
		assert frappe.has_permission("Beneficiaire", "read", monde.ben_a.name)


def test_un_role_sans_structure_ne_voit_rien(monde):
	"""For Frappe, a user with no User Permission is unrestricted; here they see nothing."""
	orphelin = make_user("orphelin@test.fr", TRAVAILLEUR_SOCIAL)
	with as_user(orphelin):
		assert frappe.get_list("Beneficiaire") == []
		assert not frappe.has_permission("Beneficiaire", "read", monde.ben_a.name)


def test_pas_de_creation_dans_une_autre_structure(monde):
	with as_user(monde.ts_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Beneficiaire", "structure": monde.b, "nom_usage": "X", "prenoms": "Y"}
			).insert()


def test_les_comptes_ne_fuient_pas(monde):
	with as_user(monde.ts_a):
		total = frappe.db.count("Beneficiaire")  # what frappe.client.get_count did in 15.44.2
		assert overrides.get_count("Beneficiaire") == len(
			frappe.get_list("Beneficiaire", limit_page_length=0)
		)
		assert overrides.get_count("Beneficiaire") < total
		frappe.local.form_dict = frappe._dict(doctype="Beneficiaire", filters="[]")
		assert reportview_get_count() == overrides.get_count("Beneficiaire")


def test_les_surcharges_sont_declarees():
	hooks = frappe.get_hooks("override_whitelisted_methods")
	for method in (
		"frappe.client.get_count",
		"frappe.desk.search.get_link_title",
		"frappe.desk.form.load.getdoc",
		"frappe.desk.form.load.get_docinfo",
		"frappe.desk.listview.get_group_by_count",
	):
		assert hooks.get(method) == [f"suivi_social.overrides.{method.rsplit('.', 1)[1]}"], method


def test_titre_de_lien_d_une_autre_structure(monde):
	with as_user(monde.ts_a):
		assert overrides.get_link_title("Type Accompagnement", monde.type_b) == monde.type_b
		assert overrides.get_link_title("Type Accompagnement", monde.type_a) == "Domiciliation"
		# A file's Link shows the person's name to their structure only.
		assert overrides.get_link_title("Beneficiaire", monde.ben_a.name) == "MARTIN Léa"
		assert overrides.get_link_title("Beneficiaire", monde.ben_b.name) == monde.ben_b.name


def test_historique_visible_du_collegue_invisible_ailleurs(monde):
	"""A colleague takes over a file: they see every accompaniment, whoever recorded it."""
	with as_user(monde.ts_a2):
		assert monde.acc_ben_a in frappe.get_list(
			"Accompagnement", filters={"beneficiaire": monde.ben_a.name}, pluck="name"
		)
	with as_user(monde.ts_b):
		assert frappe.get_list("Accompagnement", filters={"beneficiaire": monde.ben_a.name}) == []


def test_le_partage_de_document_est_desactive(monde):
	"""Sharing a file would open it to a user of another structure (DocShare is OR-ed into every
	list condition). The refusal must come from the disabled setting, not from the role having no
	share right: the test grants that right, and shows sharing would then work without the setting."""
	from unittest.mock import patch

	from frappe import permissions
	from frappe.share import add as partager

	assert frappe.get_system_settings("disable_document_sharing") == 1
	role_permissions = permissions.get_role_permissions
	system_settings = frappe.get_system_settings

	def avec_le_droit_de_partager(meta, user=None, is_owner=None, debug=False):
		return {**role_permissions(meta, user=user, is_owner=is_owner, debug=debug), "share": 1}

	with patch.object(permissions, "get_role_permissions", avec_le_droit_de_partager), as_user(monde.ts_a):
		with pytest.raises(frappe.PermissionError):
			partager("Beneficiaire", monde.ben_a.name, monde.ts_b, read=1)
		assert not frappe.db.exists("DocShare", {"share_name": monde.ben_a.name, "user": monde.ts_b})
		sans_reglage = lambda key: 0 if key == "disable_document_sharing" else system_settings(key)  # noqa: E731
		with patch("frappe.get_system_settings", sans_reglage):
			partager("Beneficiaire", monde.ben_a.name, monde.ts_b, read=1)
	with as_user(monde.ts_b):
		# What the setting prevents: with the share, B's user would read A's file.
		assert frappe.has_permission("Beneficiaire", "read", monde.ben_a.name)


def test_le_compteur_assigne_a_ne_compte_que_les_dossiers_visibles(monde):
	from frappe.desk.listview import get_group_by_count as compteur_frappe

	for user, ben in ((monde.ts_b, monde.ben_b.name), (monde.ts_a, monde.ben_a.name)):
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": "Beneficiaire",
				"reference_name": ben,
				"description": "Suivi",
			}
		).insert(ignore_permissions=True)
	with as_user(monde.ts_a):
		compte = {r.name: r.count for r in overrides.get_group_by_count("Beneficiaire", "[]", "assigned_to")}
		assert compte.get(monde.ts_a) == 1
		assert monde.ts_b not in compte
		# What Frappe 15.44.2 answers: B's assignment is counted for a user of A.
		assert monde.ts_b in {r.name for r in compteur_frappe("Beneficiaire", "[]", "assigned_to")}
		# Other fields go through Frappe's own, permission-aware path.
		statuts = overrides.get_group_by_count("Beneficiaire", "[]", "statut")
		assert sum(r.count for r in statuts) == len(frappe.get_list("Beneficiaire", limit_page_length=0))
