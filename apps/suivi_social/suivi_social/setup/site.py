"""Site-level settings: the setup wizard in French, and the platform operator account."""

import frappe
from frappe.desk.page.setup_wizard.setup_wizard import setup_complete
from frappe.utils.password import update_password

# French desk by default (FRAPPE-NOTES §8). The date format comes from Country "France": dd/mm/yyyy.
FRENCH_SETUP = {
	"language": "Français",
	"country": "France",
	"timezone": "Europe/Paris",
	"currency": "EUR",
	"enable_telemetry": 0,
}


def configure_site(operator_email: str | None = None, operator_password: str | None = None) -> None:
	"""Complete Frappe's setup wizard in French and create the platform operator (idempotent).

	Used by ./suivi on every new site, and as `before_tests` so that `bench run-tests` works too."""
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		setup_complete(dict(FRENCH_SETUP))
		# The wizard runs after the app's install and sets System Settings' backup_limit back to 3
		# (frappe/desk/page/setup_wizard/setup_wizard.py): the app's retention again (7 days).
		from suivi_social.setup.sauvegardes import activer_sauvegardes_chiffrees

		activer_sauvegardes_chiffrees()
	frappe.db.set_default("currency", "EUR")
	frappe.db.set_value("User", "Administrator", "language", "fr")
	ensure_platform_operator(operator_email or f"exploitation@{frappe.local.site}", operator_password)
	frappe.db.commit()
	frappe.clear_cache()


def ensure_platform_operator(email: str, password: str | None = None) -> str:
	"""The site's System Manager, and nothing else.

	Frappe makes the first desk user created on a site System Manager when no other one exists
	(`User.add_system_manager_role`): without this account, the first Responsable de structure
	invited would silently get every right on the site."""
	if not frappe.db.exists("User", email):
		user = frappe.new_doc("User")
		user.update(
			{
				"email": email,
				"first_name": "Exploitation",
				"last_name": "de la plateforme",
				"language": "fr",
				"send_welcome_email": 0,
			}
		)
		user.append_roles("System Manager")
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		if password:
			update_password(email, password)
	return email
