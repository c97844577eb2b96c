"""Structure isolation: one criterion, used by both permission hooks and by the validations.

A user belongs to the structures named in their User Permissions on Structure (the framework's
own mechanism, applied strictly: see install.SECURITY_SETTINGS). This module adds what the
framework lacks:
- a user with a structure-bound role but no User Permission would, for Frappe, be unrestricted;
  here they see nothing;
- the same criterion is applied as an SQL condition (lists, reports, counts, exports, charts)
  and as a document check (form, print, API get, save), so that every read path agrees.
"""

import frappe

from suivi_social.roles import ADMINISTRATEUR

# Roles that see every structure (level 0 fields only for the platform administrator: the
# confidential permlevel 1 is not granted to that role).
UNRESTRICTED_ROLES = {"System Manager", ADMINISTRATEUR}


def structures_of(user: str | None = None) -> list[str] | None:
	"""The structures a user may see; None when the user sees every structure."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	if UNRESTRICTED_ROLES.intersection(frappe.get_roles(user)):
		return None
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	return sorted({perm.get("doc") for perm in get_user_permissions(user).get("Structure", [])})


def may_access(structure: str | None, user: str | None = None) -> bool:
	allowed = structures_of(user)
	return allowed is None or (bool(structure) and structure in allowed)


def sql_condition(column: str, user: str | None = None) -> str:
	allowed = structures_of(user)
	if allowed is None:
		return ""
	if not allowed:
		return "1=0"
	return f"{column} in ({', '.join(frappe.db.escape(s) for s in allowed)})"


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions for every DocType that has a `structure` field."""
	return sql_condition(f"`tab{doctype}`.`structure`", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission for every DocType that has a `structure` field; can only deny."""
	if not doc.get("structure"):
		# A new document not yet attached to a structure: the save will set and check it.
		return None if doc.is_new() or structures_of(user) is None else False
	return None if may_access(doc.structure, user) else False


def structure_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""The Structure DocType itself: a user lists only their own structures."""
	return sql_condition("`tabStructure`.`name`", user)


def structure_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	return None if may_access(doc.name, user) else False


def is_agent_of(user: str, structure: str) -> bool:
	return bool(
		frappe.db.exists("User Permission", {"user": user, "allow": "Structure", "for_value": structure})
	)
