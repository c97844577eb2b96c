"""A private report is read by its author and the one colleague they delegate to, nobody else;
and, while its author is absent, by the colleague who covers them if the author chose so when
recording the absence (continuite/): reading only, in the absence's structure only, and only
between its dates, computed from the day (nothing to undo when it ends).

Combined with the structure criterion: a delegate or a covering colleague moved to another
structure loses access."""

import frappe

from suivi_social.continuite.absences import comptes_rendus_partages
from suivi_social.permissions import structure

LECTURE = {"read", "select"}


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	escaped = frappe.db.escape(user)
	lecteurs = [
		f"`tabCompte Rendu Prive`.`auteur` = {escaped}",
		f"`tabCompte Rendu Prive`.`delegue` = {escaped}",
	]
	# The few absences in progress are read here rather than joined: the condition stays on the
	# report's own columns (the File list evaluates it by primary key, permissions/fichiers.py).
	lecteurs += [
		f"(`tabCompte Rendu Prive`.`auteur` = {frappe.db.escape(p.agent)}"
		f" and `tabCompte Rendu Prive`.`structure` = {frappe.db.escape(p.structure)})"
		for p in comptes_rendus_partages(user)
	]
	conditions = ["(" + " or ".join(lecteurs) + ")"]
	if by_structure := structure.sql_condition("`tabCompte Rendu Prive`.`structure`", user):
		conditions.append(by_structure)
	return " and ".join(conditions)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if doc.is_new():
		return None
	if user not in (doc.auteur, doc.delegue) and not lu_par_le_remplacant(doc, ptype, user):
		return False
	return structure.has_permission(doc, ptype, user)


def lu_par_le_remplacant(doc, ptype: str | None, user: str) -> bool:
	return (ptype or "read") in LECTURE and any(
		p.agent == doc.auteur and p.structure == doc.structure for p in comptes_rendus_partages(user)
	)
