"""A structure's team: invite a colleague with a role, remove them, pick an agent in a form.

Written by hand because Frappe lets only System Manager create Users and User Permissions, and a
Responsable de structure must never be System Manager (FRAPPE-NOTES §2.1). Each function checks the
caller first, then acts with ignore_permissions."""

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import validate_email_address

from suivi_social.permissions.structure import is_agent_of, structures_of
from suivi_social.roles import AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL

ROLES_DE_STRUCTURE = (RESPONSABLE, TRAVAILLEUR_SOCIAL, AGENT_ACCUEIL)
# Where a new agent lands after logging in (dossiers/workspace/suivi_social).
ESPACE_DE_TRAVAIL = "Suivi social"


class EquipeRefusee(frappe.PermissionError):
	"""The caller may not manage this structure's team, or this user."""


def verifier_gestionnaire(structure: str) -> None:
	"""The caller manages the structure: its Responsable, or a platform-wide role."""
	if not frappe.db.exists("Structure", structure):
		frappe.throw(_("La structure {0} n'existe pas.").format(structure), frappe.DoesNotExistError)
	if structures_of() is None:
		return
	if RESPONSABLE not in frappe.get_roles() or not is_agent_of(frappe.session.user, structure):
		frappe.throw(
			_("Seul un responsable de la structure {0} peut gérer son équipe.").format(structure),
			EquipeRefusee,
		)


@frappe.whitelist(methods=["POST"])
def inviter_collegue(structure: str, email: str, prenom: str, nom: str, role: str) -> dict:
	"""Create (or attach) a desk user with one structure role, restricted to the structure.

	Returns the e-mail, and for a new user when the site cannot send e-mails (no outgoing account:
	Frappe would only say so in English), the link where the colleague chooses their password, for
	the Responsable to pass on."""
	verifier_gestionnaire(structure)
	if role not in ROLES_DE_STRUCTURE:
		frappe.throw(
			_("Rôle : « {0} » n'est pas un rôle de structure ({1}).").format(
				role, ", ".join(ROLES_DE_STRUCTURE)
			),
			EquipeRefusee,
		)
	email = (email or "").strip().lower()
	if not validate_email_address(email):
		frappe.throw(_("E-mail : « {0} » n'est pas une adresse e-mail valide.").format(email))
	if not (prenom or "").strip() or not (nom or "").strip():
		frappe.throw(_("Prénom et nom sont obligatoires."))

	lien = None
	if frappe.db.exists("User", email):
		verifier_utilisateur_gerable(email)
		user = frappe.get_doc("User", email)
		# One structure role at a time; roles outside the structure's set are left alone.
		user.set("roles", [r for r in user.roles if r.role not in ROLES_DE_STRUCTURE or r.role == role])
		if role not in {r.role for r in user.roles}:
			user.append("roles", {"role": role})
		user.enabled = 1
		user.flags.ignore_permissions = True
		user.save()
	else:
		envoi_possible = bool(EmailAccount.find_outgoing())
		user = frappe.new_doc("User")
		user.update(
			{
				"email": email,
				"first_name": prenom.strip(),
				"last_name": nom.strip(),
				# Frappe derives it from the first name and complains (in English) when two
				# colleagues share one: the e-mail is unique.
				"username": email,
				"language": "fr",
				"default_workspace": ESPACE_DE_TRAVAIL,
				"send_welcome_email": int(envoi_possible),
			}
		)
		user.append_roles(role)
		user.flags.ignore_permissions = True
		user.insert()
		if not envoi_possible:
			lien = user.reset_password()

	if not frappe.db.exists("User Permission", {"user": email, "allow": "Structure", "for_value": structure}):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": email,
				"allow": "Structure",
				"for_value": structure,
				"apply_to_all_doctypes": 1,
				# The first structure is the default value of every new record's Structure field.
				"is_default": 0
				if frappe.db.exists("User Permission", {"user": email, "allow": "Structure"})
				else 1,
			}
		).insert(ignore_permissions=True)

	if role == RESPONSABLE:
		doc = frappe.get_doc("Structure", structure)
		if email not in {row.user for row in doc.responsables}:
			doc.append("responsables", {"user": email})
			doc.save(ignore_permissions=True)
	return {"email": email, "lien_mot_de_passe": lien}


def verifier_utilisateur_gerable(email: str) -> None:
	"""Roles are site-wide: a manager may change only users whose every structure they manage."""
	if structures_of() is None:
		return
	if {"System Manager", "Administrator"}.intersection(frappe.get_roles(email)):
		frappe.throw(
			_("Cet utilisateur a des droits d'administration : il ne peut pas être modifié ici."),
			EquipeRefusee,
		)
	leurs = set(structures_of(email) or [])
	miennes = set(structures_of() or [])
	if not leurs.issubset(miennes):
		frappe.throw(
			_("{0} appartient à une autre structure : demandez à l'administrateur de la plateforme.").format(
				email
			),
			EquipeRefusee,
		)


@frappe.whitelist(methods=["POST"])
def retirer_collegue(structure: str, email: str) -> None:
	"""Remove a colleague from the structure; a user left with no structure is disabled."""
	verifier_gestionnaire(structure)
	if email == frappe.session.user:
		frappe.throw(_("Vous ne pouvez pas vous retirer vous-même de la structure."))
	verifier_utilisateur_gerable(email)
	for name in frappe.get_all(
		"User Permission", filters={"user": email, "allow": "Structure", "for_value": structure}, pluck="name"
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True)
	doc = frappe.get_doc("Structure", structure)
	if any(row.user == email for row in doc.responsables):
		doc.set("responsables", [row for row in doc.responsables if row.user != email])
		doc.save(ignore_permissions=True)
	if not frappe.db.exists("User Permission", {"user": email, "allow": "Structure"}):
		frappe.db.set_value("User", email, "enabled", 0)


@frappe.whitelist()
def equipe(structure: str) -> list[dict]:
	"""The agents of a structure with their role, for the Structure form."""
	if not frappe.has_permission("Structure", "read", structure):
		raise frappe.PermissionError
	users = frappe.get_all(
		"User Permission", filters={"allow": "Structure", "for_value": structure}, pluck="user"
	)
	rows = frappe.get_all(
		"User",
		filters={"name": ("in", users or [""])},
		fields=["name", "full_name", "enabled"],
		order_by="full_name asc",
	)
	for row in rows:
		row.roles = [r for r in frappe.get_roles(row.name) if r in ROLES_DE_STRUCTURE]
	return rows


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def agents_query(
	doctype: str, txt: str, searchfield: str | None, start: int, page_len: int, filters: dict | None
):
	"""Link query for user fields of our forms: only enabled agents of the given structure."""
	structure = (filters or {}).get("structure")
	if not structure or not frappe.has_permission("Structure", "read", structure):
		return []
	users = frappe.get_all(
		"User Permission", filters={"allow": "Structure", "for_value": structure}, pluck="user"
	)
	if not users:
		return []
	return frappe.get_all(
		"User",
		filters={"name": ("in", users), "enabled": 1},
		or_filters={"name": ("like", f"%{txt}%"), "full_name": ("like", f"%{txt}%")},
		fields=["name", "full_name"],
		order_by="full_name asc",
		start=start,
		page_length=page_len,
		as_list=True,
	)
