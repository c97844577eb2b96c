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
from frappe import _

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


# The guard of every record that carries a structure ------------------------------------------
#
# Why here and not in each controller: Frappe 15.44.2's Document.save() checks the write
# permission on the document as the client sent it, then `_validate_links` applies `fetch_from`
# (so `structure` is overwritten from the linked file) before any `validate` runs. A check in a
# controller compares the fetched structure with itself and can never fire. This guard runs as
# `before_validate` of every DocType (doc_events "*"), after the fetch, and:
# 1. takes the structure from the linked record when the field is fetched from one;
# 2. refuses a change of structure on an existing record (a file, and what hangs on it, stays);
# 3. re-checks that the user may access that structure (save checked the stale value);
# 4. refuses a link to a record of another structure, and a user link (agent, référent, assigné,
#    délégué) to someone who is not an agent of the structure — for new or changed values only,
#    so that a record naming an agent who has since left can still be edited.


def garde_structure(doc, method=None) -> None:
	df = doc.meta.get_field("structure")
	if not df or df.fieldtype != "Link" or df.options != "Structure":
		return
	source = prendre_structure_du_lien(doc, df)
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before and before.get("structure") != doc.structure:
		refuser_hors_structure(
			doc,
			source or "structure",
			_("ne peut pas changer de structure ({0} → {1})").format(before.structure, doc.structure),
		)
	if not doc.structure:
		return  # the mandatory check names the field
	if not may_access(doc.structure):
		refuser_hors_structure(
			doc, source or "structure", _("la structure {0} ne vous est pas accessible").format(doc.structure)
		)
	for row in (doc, *doc.get_all_children()):
		verifier_liens(row, doc.structure, before, skip=source if row is doc else None)


def prendre_structure_du_lien(doc, df) -> str | None:
	"""`structure` fetched from a link (e.g. beneficiaire.structure): set it from the linked record.
	Returns the link's fieldname."""
	if not df.fetch_from or "." not in df.fetch_from:
		return None
	link_field, source_field = df.fetch_from.split(".", 1)
	link = doc.meta.get_field(link_field)
	if not link or not doc.get(link_field):
		return None
	doc.structure = frappe.db.get_value(link.options, doc.get(link_field), source_field)
	return link_field


def verifier_liens(row, structure: str, before, skip: str | None) -> None:
	anciennes = valeurs_avant(row, before)
	for link in row.meta.get_link_fields():
		value = row.get(link.fieldname)
		if not value or link.fieldname == skip or value in anciennes.get(link.fieldname, ()):
			continue
		if link.options == "User":
			# Who saves may name themselves when the structure is theirs to reach (checked above):
			# the Administrateur Suivi social, who reads every structure without being one's agent,
			# is « Lancé par » of the import they run. Nobody gains access by it.
			soi_meme = value == frappe.session.user and may_access(structure, value)
			if not is_agent_of(value, structure) and value != "Administrator" and not soi_meme:
				refuser_hors_structure(
					row,
					link.fieldname,
					_("{0} n'est pas un agent de la structure {1}").format(value, structure),
				)
		elif porte_une_structure(link.options):
			if frappe.db.get_value(link.options, value, "structure") != structure:
				refuser_hors_structure(
					row, link.fieldname, _("« {0} » appartient à une autre structure").format(value)
				)


def valeurs_avant(row, before) -> dict[str, set]:
	"""The values each link field of this row (or of this child table) held before the save."""
	if before is None:
		return {}
	rows = before.get(row.parentfield) if row.get("parentfield") else [before]
	values: dict[str, set] = {}
	for old in rows or []:
		for link in row.meta.get_link_fields():
			values.setdefault(link.fieldname, set()).add(old.get(link.fieldname))
	return values


def porte_une_structure(doctype: str) -> bool:
	df = frappe.get_meta(doctype).get_field("structure")
	return bool(df and df.fieldtype == "Link" and df.options == "Structure")


def refuser_hors_structure(doc, fieldname: str, message: str) -> None:
	from suivi_social.exceptions import HorsStructure
	from suivi_social.utils.erreurs import refuser

	refuser(doc, fieldname, message, exc=HorsStructure)


def garder_une_structure_par_defaut(doc, method=None) -> None:
	"""Every user of a structure has exactly one default Structure User Permission.

	Frappe pre-fills a Link field with the user's default User Permission (`is_default`), in the
	desk (model/create_new.js) and in Python (model/create_new.py): a user with one structure gets
	it in every new record; a user with several gets their first one and may pick another."""
	if doc.allow != "Structure":
		return
	filters = {
		"user": doc.user,
		"allow": "Structure",
		"name": ("!=", doc.name if method == "on_trash" else ""),
	}
	if frappe.db.exists("User Permission", {**filters, "is_default": 1}):
		return
	first = frappe.get_all("User Permission", filters=filters, order_by="creation asc", limit=1, pluck="name")
	if first:
		frappe.db.set_value("User Permission", first[0], "is_default", 1, update_modified=False)
		frappe.cache.hdel("user_permissions", doc.user)
