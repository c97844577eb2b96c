"""Tags (Frappe's « Étiquettes ») are seen only with the record they are put on.

Frappe lets every user (role « All ») read every Tag Link row, and each row carries the tagged
record's title: a user of A listed the names of B's beneficiaries through /api/resource/Tag Link,
frappe.client.get_list or the awesomebar's « #étiquette » search (get_documents_for_tag), and the
tag words B's agents wrote through the tag autocompletion (frappe.desk.doctype.tag.tag.get_tags).

- A Tag Link row is listed when frappe.get_list lists its record: the condition is built, for each
  DocType that has tags, from that DocType's own list condition (role permission, User Permissions,
  the app's hooks), so a new DocType is covered without being named here.
- A Tag (the word itself) is listed when one of its rows is, or to whoever created it.
tests/securite/test_balayage.py plants a tag on B's file (its word and its row carry the canary)."""

import frappe

from suivi_social.permissions.structure import structures_of

# Frappe's own bookkeeping DocTypes that a tag may not point to through get_list.
SANS_LISTE = ("Tag Link", "Tag")


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if structures_of(user) is None:
		return ""
	return condition_des_lignes(user)


def condition_des_lignes(user: str) -> str:
	lisibles = []
	# Frappe's get_all: this condition is what the permission check is made of.
	for dt in frappe.get_all("Tag Link", distinct=True, pluck="document_type", order_by=None):
		if not dt or dt in SANS_LISTE or not frappe.db.exists("DocType", dt):
			continue
		try:
			noms = frappe.get_list(
				dt, fields=[f"`tab{dt}`.`name`"], order_by="", limit_page_length=0, run=0, user=user
			)
		except frappe.PermissionError:
			continue
		lisibles.append(
			f"(`tabTag Link`.`document_type` = {frappe.db.escape(dt)} and `tabTag Link`.`document_name` in ({noms}))"
		)
	return "(" + " or ".join(lisibles) + ")" if lisibles else "1=0"


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if doc.is_new() or structures_of(user) is None:
		return None
	if (
		not doc.document_type
		or doc.document_type in SANS_LISTE
		or not frappe.db.exists(doc.document_type, doc.document_name)
	):
		return False
	return None if frappe.has_permission(doc.document_type, "read", doc.document_name, user=user) else False


def tag_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if structures_of(user) is None:
		return ""
	return (
		f"(`tabTag`.`owner` = {frappe.db.escape(user)} or `tabTag`.`name` in "
		f"(select `tabTag Link`.`tag` from `tabTag Link` where {condition_des_lignes(user)}))"
	)


def tag_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if doc.is_new() or structures_of(user) is None or doc.owner == user:
		return None
	return None if frappe.get_list("Tag Link", filters={"tag": doc.name}, limit=1, user=user) else False
