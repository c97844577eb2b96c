"""Attachments of our records are listed only to users who may list the record itself.

Frappe's own File condition lets a user list every file attached to any DocType they can read
(frappe/core/doctype/file/file.py, get_permission_query_conditions): file names, URLs and the
record they belong to would leak across structures. Opening a file is already checked against
its record by Frappe's File.has_permission, which calls our hooks."""

import frappe

from suivi_social.hooks import STRUCTURE_DOCTYPES

PROTECTED_DOCTYPES = ("Structure", "Compte Rendu Prive", *STRUCTURE_DOCTYPES)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	visibles = []
	for dt in PROTECTED_DOCTYPES:
		if not frappe.has_permission(dt, "read", user=user):
			continue
		names = frappe.get_list(
			dt, fields=[f"`tab{dt}`.`name`"], order_by="", limit_page_length=0, run=0, user=user
		)
		visibles.append(
			f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(dt)} and `tabFile`.`attached_to_name` in ({names}))"
		)
	proteges = ", ".join(frappe.db.escape(dt) for dt in PROTECTED_DOCTYPES)
	return f"(ifnull(`tabFile`.`attached_to_doctype`, '') not in ({proteges}) {''.join(' or ' + v for v in visibles)})"
