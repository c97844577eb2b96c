"""Saved reports are seen within the structure of the person who saved them.

Report Builder's save_report (and "Enregistrer sous" of a Script Report) gives the new Report the
roles of its DocType (Report.set_doctype_roles): every user with those roles, in every structure,
would list its name and open its definition (columns, filters, group-by), and the desk lists it in
every sidebar (boot's allowed reports go through frappe.get_list). A report's name and filters may
name a person ("Suivi Dupont", nom_usage = "Dupont"): across structures, that is a leak, even though
running it shows each user only their own rows.

So a non-standard Report (one saved from the desk) is visible only to its owner and to the users
who share one of the owner's structures (permissions/collegues.py); standard reports (shipped by
the apps) keep Frappe's role rule. Users who see every structure (System Manager, Administrateur
Suivi social) see every report. The same rule applies when a report is run through
frappe.desk.query_report (frappe_fixes, fix 6), which otherwise checks roles only."""

import frappe

from suivi_social.permissions.collegues import condition_collegues, sont_collegues


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	collegues = condition_collegues("`tabReport`.`owner`", user)
	if not collegues:
		return ""
	return (
		f"(`tabReport`.`is_standard` = 'Yes' or `tabReport`.`owner` = {frappe.db.escape(user)} "
		f"or {collegues})"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if doc.is_new() or doc.is_standard == "Yes" or doc.owner == user:
		return None
	return None if sont_collegues(doc.owner, user) else False
