"""A private report is read by its author and the one colleague they delegate to, nobody else.

Combined with the structure criterion: a delegate moved to another structure loses access."""

import frappe

from suivi_social.permissions import structure


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	escaped = frappe.db.escape(user)
	conditions = [
		f"(`tabCompte Rendu Prive`.`auteur` = {escaped} or `tabCompte Rendu Prive`.`delegue` = {escaped})"
	]
	if by_structure := structure.sql_condition("`tabCompte Rendu Prive`.`structure`", user):
		conditions.append(by_structure)
	return " and ".join(conditions)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if doc.is_new():
		return None
	if user not in (doc.auteur, doc.delegue):
		return False
	return structure.has_permission(doc, ptype, user)
