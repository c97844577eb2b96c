"""Idempotent seeds, run after install and after every migrate (existing sites get them too)."""

import frappe

from suivi_social.roles import ALL_ROLES

# Platform defaults for personal data (FRAPPE-NOTES §2.2 and §7). Applied on install and migrate:
# a site manager may not weaken them through System Settings without them coming back.
SECURITY_SETTINGS = {
	# Records with an empty Structure link must not be visible to every structure.
	"apply_strict_user_permissions": 1,
	# Sharing a document bypasses the structure isolation.
	"disable_document_sharing": 1,
	"enable_telemetry": 0,
	# Sessions of a shared desk computer end the same day.
	"session_expiry": "08:00",
	"enable_password_policy": 1,
	"minimum_password_score": "3",  # a Select: stored as text
	# Frappe locks an account once its failures *exceed* this number (auth.LoginAttemptTracker):
	# locked after the 5th failed login, for 5 minutes.
	"allow_consecutive_login_attempts": 4,
	"allow_login_after_fail": 300,
	# The e-mail login link would skip two-factor authentication.
	"login_with_email_link": 0,
	# Required from the Responsable, the Administrateur and the operator (durcissement.py), with an
	# authenticator app: a code sent by e-mail falls with the mailbox, and SMS needs a gateway.
	"enable_two_factor_auth": 1,
	"two_factor_method": "OTP App",
	"otp_issuer_name": "Suivi social",
	# A password is changed every 180 days: a password leaked from a shared desk computer does not
	# stay valid for ever, without the monthly changes that end up written on a sticky note (the
	# CNIL's 2022 recommendation on passwords no longer asks for frequent renewal).
	"force_user_to_reset_password": 180,
	# The pinned Frappe version is changed deliberately (README); the site does not ask GitHub.
	"disable_system_update_notification": 1,
}


def after_install() -> None:
	seed()


def after_migrate() -> None:
	from suivi_social.statistiques import memoire

	seed()
	# Patches may rewrite the rows the yearly report counts without document events.
	memoire.tout_oublier()


def seed() -> None:
	from suivi_social import durcissement
	from suivi_social.permissions import (
		canaux,
		fichiers,
		journal_acces,
		journal_consultations,
		pieces_jointes,
	)
	from suivi_social.personnalisation import droits as droits_de_personnalisation
	from suivi_social.setup.espaces import reserver_espaces_frappe
	from suivi_social.setup.sauvegardes import activer_sauvegardes_chiffrees
	from suivi_social.structures.catalogue import seed_catalogue

	create_roles()
	create_module_defs()
	apply_security_settings()
	durcissement.appliquer_double_authentification()
	durcissement.langue_avant_connexion()
	seed_catalogue()
	fichiers.synchroniser()
	# The « Confidentiel » flag of attachments; channels that send records out (permissions/).
	pieces_jointes.synchroniser()
	canaux.desactiver()
	journal_acces.synchroniser()
	journal_consultations.synchroniser()
	enregistrer_durees_des_journaux()
	# The Responsable's no-code tools (personnalisation/droits.py).
	droits_de_personnalisation.accorder()
	set_default_structures()
	set_euro_format()
	afficher_le_nom_des_agents()
	# The reception search's index tables (a new site; existing ones get them filled by the patch
	# index_recherche_accueil, which install marks as done without running).
	creer_index_de_recherche()
	# Agents' sidebars show the app's workspaces, not Frappe's own (setup/espaces.py).
	reserver_espaces_frappe()
	# Encrypted backups kept N days, a key per site (setup/sauvegardes.py).
	activer_sauvegardes_chiffrees()


def enregistrer_durees_des_journaux() -> None:
	"""The access logs' retention (hooks.py `default_log_clearing_doctypes`) shown in Log Settings
	from the install on, where a manager may change it. Frappe adds them on the first daily clean-up
	only; a duration already set is kept."""
	settings = frappe.get_single("Log Settings")
	avant = {d.ref_doctype for d in settings.logs_to_clear}
	settings.add_default_logtypes()
	if {d.ref_doctype for d in settings.logs_to_clear} != avant:
		settings.save(ignore_permissions=True)


def creer_index_de_recherche() -> None:
	from suivi_social.accueil import jetons

	jetons.creer_tables()


def create_roles() -> None:
	for role_name in ALL_ROLES:
		if not frappe.db.exists("Role", role_name):
			frappe.get_doc({"doctype": "Role", "role_name": role_name, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def create_module_defs() -> None:
	"""A module added to modules.txt after the install (Statistiques, which holds only reports and a
	page): Frappe creates Module Defs at install only, and from DocTypes."""
	for module in frappe.get_module_list("suivi_social"):
		if not frappe.db.exists("Module Def", module):
			frappe.get_doc(
				{"doctype": "Module Def", "module_name": module, "app_name": "suivi_social"}
			).insert(ignore_permissions=True)


def apply_security_settings() -> None:
	settings = frappe.get_single("System Settings")
	changed = False
	for field, value in SECURITY_SETTINGS.items():
		if settings.meta.has_field(field) and settings.get(field) != value:
			settings.set(field, value)
			changed = True
	if changed:
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)


def set_default_structures() -> None:
	"""Users created before every user had a default structure (permissions/structure.py)."""
	from suivi_social.permissions.structure import garder_une_structure_par_defaut

	for user in frappe.get_all(
		"User Permission", filters={"allow": "Structure"}, pluck="user", distinct=True
	):
		garder_une_structure_par_defaut(frappe._dict(user=user, allow="Structure", name=""))


def afficher_le_nom_des_agents() -> None:
	"""Agents and référents read by their full name, not their e-mail address, in every Link field to
	User (forms, lists, link searches): Frappe's User has `full_name` as its title field, but leaves
	« Show Title in Link Fields » off. A Property Setter, as Customize Form would write it."""
	if not frappe.db.exists(
		"Property Setter", {"doc_type": "User", "property": "show_title_field_in_link", "value": "1"}
	):
		frappe.make_property_setter(
			{
				"doctype": "User",
				"doctype_or_field": "DocType",
				"property": "show_title_field_in_link",
				"value": "1",
				"property_type": "Check",
			},
			validate_fields_for_doctype=False,
		)


def set_euro_format() -> None:
	"""Amounts as a French agent writes them: 1 234,50 €. Frappe ships EUR as "#,###.##" with the
	symbol on the left, which overrides the system's French number format for every amount."""
	if frappe.db.get_value("Currency", "EUR", "number_format") == "#,###.##":
		frappe.db.set_value("Currency", "EUR", {"number_format": "# ###,##", "symbol_on_right": 1})
