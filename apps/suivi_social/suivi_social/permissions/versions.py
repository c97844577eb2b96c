"""The history (Version) of a private report is read only by who reads the report itself.

Every change to a file, an accompaniment, a rappel, an absence or a private report is kept in a
Version row (`track_changes`): old and new values of every changed field. Frappe lets only System
Manager read the Version DocType; the app's roles read a record's history in its form, masked by
permission level (overrides.masquer_versions).

A private report (Compte Rendu Prive) is read by its author and their delegate only, a System
Manager included (permissions/compte_rendu_prive.py): its Versions hold its whole text, so the
same rule applies to them, in lists (Version list, /api/resource/Version, frappe.client.get_list)
and on each row. Every other DocType's Versions keep Frappe's rule (the System Manager reads every
such record anyway)."""

import frappe

from suivi_social.permissions import compte_rendu_prive

# DocTypes whose records some System Managers may not read: their Versions follow the record.
PRIVES = ("Compte Rendu Prive",)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	lecteur = compte_rendu_prive.query_conditions(user)
	prives = ", ".join(frappe.db.escape(d) for d in PRIVES)
	return (
		f"(`tabVersion`.`ref_doctype` not in ({prives}) or `tabVersion`.`docname` in "
		f"(select `tabCompte Rendu Prive`.`name` from `tabCompte Rendu Prive` where {lecteur or '1=1'}))"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	if doc.ref_doctype not in PRIVES or doc.is_new():
		return None
	if not frappe.db.exists(doc.ref_doctype, doc.docname):
		# The record is gone (its erasure purges its Versions, rgpd/traces.py): nobody reads them.
		return None if (user or frappe.session.user) == "Administrator" else False
	return None if frappe.has_permission(doc.ref_doctype, "read", doc.docname, user=user) else False
