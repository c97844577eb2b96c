"""The Agent d'accueil lands on the Accueil page when logging in.

Frappe v15 has no desk home per role: Role.home_page and the `role_home_page` hook choose the
website home of portal users (frappe/website/utils.py get_home_page), while a desk user is sent to
`get_default_path() or "/app"` (frappe/auth.py LoginManager.set_user_info), which then opens their
default workspace. The `on_session_creation` hook runs after set_user_info during a login by
password, so it may change where the login page sends the browser (its `home_page`)."""

import frappe

from suivi_social.roles import AGENT_ACCUEIL

PAGE_ACCUEIL = "/app/accueil"


def diriger_vers_l_accueil(login_manager) -> None:
	if frappe.local.response.get("message") != "Logged In":
		return
	if AGENT_ACCUEIL in frappe.get_roles(login_manager.user):
		frappe.local.response["home_page"] = PAGE_ACCUEIL
