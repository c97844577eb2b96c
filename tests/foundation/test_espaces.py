"""Agents' sidebars show the app's workspaces only; the System Manager keeps Frappe's own
(suivi_social/setup/espaces.py)."""

import frappe
import pytest
from frappe.desk.desktop import get_workspace_sidebar_items

from suivi_social.roles import ADMINISTRATEUR, ALL_ROLES
from suivi_social.setup.espaces import espaces_de_frappe, reserver_espaces_frappe
from tests.conftest import as_user
from tests.factories import make_user

ESPACES_FRAPPE = {"Users", "Website", "Tools", "Integrations", "Build"}


def espaces_visibles(user: str) -> set[str]:
	# What the desk's boot reads for the sidebar, with the per-user caches of the desk cleared.
	frappe.clear_cache(user=user)
	with as_user(user):
		return {page.name for page in get_workspace_sidebar_items()["pages"]}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_un_agent_ne_voit_que_les_espaces_de_l_application(monde, role):
	structures = () if role == ADMINISTRATEUR else (monde.a,)
	user = make_user(f"espaces-{ALL_ROLES.index(role)}@test.fr", role, structures=structures)
	visibles = espaces_visibles(user)
	assert not visibles & ESPACES_FRAPPE, visibles
	assert not visibles & set(espaces_de_frappe())
	assert "Suivi social" in visibles


def test_le_gestionnaire_systeme_garde_les_espaces_de_frappe():
	user = make_user("espaces-systeme@test.fr", "System Manager")
	assert ESPACES_FRAPPE <= espaces_visibles(user)


def test_les_espaces_de_frappe_sans_roles_sont_reserves_a_nouveau():
	"""What an upgrade of Frappe does (its workspace re-imported with no roles): the next migrate
	gives it back to the System Manager; a second run changes nothing; roles set by someone stay."""
	frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": "Website"})
	frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": "Tools"})
	frappe.get_doc(
		{
			"doctype": "Has Role",
			"parenttype": "Workspace",
			"parentfield": "roles",
			"parent": "Tools",
			"role": "Blogger",
		}
	).db_insert()
	assert reserver_espaces_frappe() == ["Website"]
	assert reserver_espaces_frappe() == []
	assert frappe.get_all("Has Role", {"parenttype": "Workspace", "parent": "Website"}, pluck="role") == [
		"System Manager"
	]
	assert frappe.get_all("Has Role", {"parenttype": "Workspace", "parent": "Tools"}, pluck="role") == [
		"Blogger"
	]
