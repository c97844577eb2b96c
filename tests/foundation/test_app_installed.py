"""The bench is real: the app is installed on the test site and its DocTypes work for a role user."""

import frappe

from suivi_social.roles import ADMINISTRATEUR, ALL_ROLES
from tests.factories import make_user


def test_app_is_installed_on_the_test_site():
	assert "suivi_social" in frappe.get_installed_apps()
	assert frappe.db.exists("Module Def", {"name": "Structures", "app_name": "suivi_social"})


def test_roles_are_created():
	for role in ALL_ROLES:
		assert frappe.db.get_value("Role", role, "desk_access") == 1, role


def test_site_is_french_and_set_up():
	settings = frappe.get_single("System Settings")
	assert settings.setup_complete == 1
	assert settings.language == "fr"
	assert settings.time_zone == "Europe/Paris"
	assert settings.country == "France"
	assert settings.date_format == "dd/mm/yyyy"
	assert frappe.db.get_default("currency") == "EUR"


def test_strict_user_permissions_are_on():
	"""Records with an empty Structure would otherwise be visible to every structure."""
	assert frappe.db.get_single_value("System Settings", "apply_strict_user_permissions") == 1
	assert frappe.db.get_single_value("System Settings", "disable_document_sharing") == 1


def test_security_settings_are_stable():
	"""Seeding twice saves nothing the second time (no spurious System Settings save per migrate)."""
	from suivi_social.install import apply_security_settings

	apply_security_settings()
	modified = frappe.get_doc("System Settings").modified
	apply_security_settings()
	assert frappe.get_doc("System Settings").modified == modified
	assert frappe.db.get_single_value("System Settings", "minimum_password_score") == "3"
	assert frappe.db.get_single_value("System Settings", "session_expiry") == "08:00"


def test_platform_admin_creates_and_reads_a_structure():
	admin = make_user("admin-plateforme@test.fr", ADMINISTRATEUR)
	frappe.set_user(admin)
	structure = frappe.get_doc(
		{
			"doctype": "Structure",
			"raison_sociale": "CCAS de Testville",
			"type_structure": "CCAS",
			"prefixe_dossier": "TST",
		}
	).insert()
	assert frappe.get_doc("Structure", structure.name).type_structure == "CCAS"
	assert "System Manager" not in frappe.get_roles(admin)
