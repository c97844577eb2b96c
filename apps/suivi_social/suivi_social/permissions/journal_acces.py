"""The Responsable de structure reads the Access Log of their structure's users.

Frappe writes an Access Log entry for each export, print and private-file download (who, what,
when, with which filters; suivi_social/exports.py adds the exports Frappe does not log). Only
System Manager may read that DocType. The Responsable gets read and report on it (a Custom DocPerm,
set by `synchroniser`), limited to the entries of users who share one of their structures
(permissions/collegues.py): their own team, never another structure's.

The HTML of printed pages (`page`, kept by Frappe for report PDFs and printed trees) moves to
permission level 1, which only System Manager reads: the Responsable sees what was exported, by whom
and when, not the content again. A user who belongs to several structures is a colleague in each:
the managers of each see all their entries (the filters of an export name no more than the user
could see).

The list shows who exported what, when, in French (list view fields below; labels translated by
Frappe's fr.po and ours)."""

import frappe

from suivi_social.permissions.collegues import condition_collegues, sont_collegues
from suivi_social.roles import RESPONSABLE

DOCTYPE = "Access Log"

# Columns and filters of the list: who, from which DocType or report, which file. A desk 1400 px wide
# shows four columns, in the DocType's field order: Frappe's `method` (« Export », « Print », or the
# path of the app's method for the yearly report) would take the report's place.
LISTE = {
	"in_list_view": ("user", "export_from", "report_name", "file_type"),
	"in_standard_filter": ("user", "export_from", "report_name"),
}
# Columns not in the list (too wide and rarely filled; technical).
HORS_LISTE = ("reference_document", "method")
CHAMPS_NIVEAU_1 = ("page",)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return condition_collegues("`tabAccess Log`.`user`", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	if doc.is_new():
		return None
	return None if sont_collegues(doc.user, user) else False


def synchroniser() -> None:
	"""Idempotent: the Responsable's read on Access Log, level 1 for the page HTML, the list view."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter
	from frappe.permissions import add_permission, update_permission_property

	def regle(role: str, permlevel: int) -> dict | None:
		return frappe.db.get_value(
			"Custom DocPerm",
			{"parent": DOCTYPE, "role": role, "permlevel": permlevel, "if_owner": 0},
			["name", "read", "report", "export", "print", "email", "write", "create", "delete"],
			as_dict=True,
		)

	changed = False
	for role, permlevel, droits in (
		(RESPONSABLE, 0, {"read": 1, "report": 1}),
		("System Manager", 1, {"read": 1}),
	):
		if not regle(role, permlevel):
			add_permission(DOCTYPE, role, permlevel)
			changed = True
		actuelle = regle(role, permlevel)
		for ptype in ("read", "report", "export", "print", "email", "write", "create", "delete"):
			voulu = droits.get(ptype, 0)
			if actuelle.get(ptype) != voulu:
				update_permission_property(DOCTYPE, role, permlevel, ptype, voulu, validate=False)
				changed = True

	proprietes = [(f, "permlevel", "1", "Int") for f in CHAMPS_NIVEAU_1]
	proprietes += [(f, prop, "1", "Check") for prop, fields in LISTE.items() for f in fields]
	proprietes += [(f, "in_list_view", "0", "Check") for f in HORS_LISTE]
	meta = frappe.get_meta(DOCTYPE)
	for fieldname, prop, value, property_type in proprietes:
		if str(meta.get_field(fieldname).get(prop) or 0) != value:
			make_property_setter(
				DOCTYPE, fieldname, prop, value, property_type, validate_fields_for_doctype=False
			)
			changed = True
	if changed:
		frappe.clear_cache(doctype=DOCTYPE)
