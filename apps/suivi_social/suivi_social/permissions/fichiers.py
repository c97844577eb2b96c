"""Attachments of our records are listed only to users who may list the record itself.

Frappe's own File condition lets a user list every file attached to any DocType they can read
(frappe/core/doctype/file/file.py, get_permission_query_conditions): file names, URLs and the
record they belong to would leak across structures. Opening a file is already checked against
its record by Frappe's File.has_permission, which calls our hooks.

"May list the record" is what frappe.get_list adds for the record's DocType (role permission,
User Permissions, permission hooks, shares: DatabaseQuery.build_match_conditions). Evaluated per
file (`attached_to_name in (select name from tabX where …)`, run by MariaDB as one primary-key
lookup per file), it cost one second on the File list at 20,000 attachments and 1,000,000
accompaniments, the records being read from disk (benchmarks/liste_fichiers.py). So the condition
is evaluated on the File row itself: the record's `name` is the file's `attached_to_name`, and its
`structure` is stored on the File row, in the custom field `structure_rattachement`:
- set from the record on every save of the File (doc_events "File" validate), never from the client;
- the structure of a record never changes (permissions/structure.py, garde_structure); our
  DocTypes other than Structure cannot be renamed, and a renamed Structure updates the field as
  any Link;
- recomputed for every attachment on each migrate (`synchroniser`), which also fills existing
  sites and puts right rows written without the File controller.
(documents shared with the user are names too). When the condition involves anything else
(Compte Rendu Prive: author or delegate, who may change; a User Permission on another DocType;
if_owner), the files of that DocType are checked against their record by primary key: exact, and
slower only for them.
tests/securite/test_fichiers.py checks, for every role, that a file is listed exactly when
frappe.get_list lists its record."""

import re

import frappe
from frappe.model.db_query import DatabaseQuery

from suivi_social.hooks import STRUCTURE_DOCTYPES

PROTECTED_DOCTYPES = ("Structure", "Compte Rendu Prive", *STRUCTURE_DOCTYPES)
CHAMP_STRUCTURE = "structure_rattachement"

CUSTOM_FIELDS = {
	"File": [
		{
			"fieldname": CHAMP_STRUCTURE,
			"label": "Structure",
			"fieldtype": "Link",
			"options": "Structure",
			"insert_after": "attached_to_name",
			"read_only": 1,
			"no_copy": 1,
			# Files not attached to our records have none: User Permissions must not hide them.
			"ignore_user_permissions": 1,
			"description": "Structure du document auquel le fichier est rattaché (renseignée automatiquement).",
		}
	]
}


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	partages = documents_partages(user)
	# DocTypes with the same condition on the file (the structure criterion, usually) in one branch.
	par_condition: dict[str, list[str]] = {}
	for dt in PROTECTED_DOCTYPES:
		if lisible(dt, user, partages):
			par_condition.setdefault(condition_sur_le_fichier(dt, user, partages), []).append(dt)
	visibles = [f"ifnull(`tabFile`.`attached_to_doctype`, '') not in ({liste(PROTECTED_DOCTYPES)})"]
	visibles += [
		f"`tabFile`.`attached_to_doctype` in ({liste(doctypes)}) and {condition}"
		for condition, doctypes in par_condition.items()
	]
	return "(" + " or ".join(f"({v})" for v in visibles) + ")"


def liste(valeurs) -> str:
	return ", ".join(frappe.db.escape(v) for v in valeurs)


def condition_sur_le_fichier(doctype: str, user: str, partages: dict[str, list[str]]) -> str:
	"""The record's list condition, on the row of a file attached to a record of this DocType."""
	query = ConditionDeListe(doctype, user, partages)
	try:
		match = query.build_match_conditions()
	except frappe.PermissionError:
		return "1=0"
	condition = " and ".join(f"({c})" for c in [*query.conditions, match] if c) or "1=1"
	table = f"`tab{doctype}`"
	sur_le_fichier = re.sub(
		rf"{re.escape(table)}\.(`name`|name\b)", "`tabFile`.`attached_to_name`", condition
	)
	if doctype != "Structure":
		sur_le_fichier = sur_le_fichier.replace(f"{table}.`structure`", f"`tabFile`.`{CHAMP_STRUCTURE}`")
	if f"tab{doctype}" not in sur_le_fichier:
		return f"({sur_le_fichier})"
	# A scalar subquery, looked up by primary key for these files only: MariaDB would turn an
	# EXISTS or an IN into a materialised table, reading the whole table on every list.
	return f"(select 1 from {table} where {table}.`name` = `tabFile`.`attached_to_name` and {condition}) is not null"


class ConditionDeListe(DatabaseQuery):
	"""What frappe.get_list adds for a DocType (DatabaseQuery.build_match_conditions), the documents
	shared with the user being read once for all our DocTypes rather than once per DocType (one
	frappe.share.get_shared each, most of the cost of this condition)."""

	def __init__(self, doctype: str, user: str, partages: dict[str, list[str]]):
		super().__init__(doctype, user=user)
		self.partages = partages

	def add_user_permissions(self, user_permissions):
		super().add_user_permissions(user_permissions)
		# Were this flag renamed, Frappe would fetch the shares itself: slower, still exact.
		if getattr(self, "_fetch_shared_documents", False):
			self._fetch_shared_documents = False
			self.shared = self.partages.get(self.doctype, [])


def lisible(doctype: str, user: str, partages: dict[str, list[str]]) -> bool:
	"""frappe.has_permission(doctype, "read", user=user) without a document: a role that reads the
	DocType, or one of its documents shared with the user (shares read once, not per DocType)."""
	from frappe.permissions import get_role_permissions

	return bool(
		get_role_permissions(frappe.get_meta(doctype), user=user).get("read") or partages.get(doctype)
	)


def documents_partages(user: str) -> dict[str, list[str]]:
	"""frappe.share.get_shared(doctype, user) for each of our DocTypes, in one query."""
	ou = [["user", "=", user]] + ([["everyone", "=", 1]] if user != "Guest" else [])
	partages: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"DocShare",
		filters=[["read", "=", 1], ["share_doctype", "in", PROTECTED_DOCTYPES]],
		or_filters=ou,
		fields=["share_doctype", "share_name"],
		order_by=None,
	):
		partages.setdefault(row.share_doctype, []).append(row.share_name)
	return partages


# The structure stored on the File row ---------------------------------------------------------


def structure_du_document(doctype: str | None, name: str | None) -> str | None:
	if not doctype or not name or doctype not in PROTECTED_DOCTYPES:
		return None
	if doctype == "Structure":
		return name
	if not frappe.get_meta(doctype).has_field("structure"):
		return None
	return frappe.db.get_value(doctype, name, "structure")


def renseigner_structure(doc, method=None) -> None:
	"""doc_events File validate: whatever the client sent, the structure of the attached record."""
	doc.set(CHAMP_STRUCTURE, structure_du_document(doc.attached_to_doctype, doc.attached_to_name))


def synchroniser() -> None:
	"""Create the field and recompute it for every attachment (idempotent; run after each migrate)."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields(CUSTOM_FIELDS, update=True)
	recalculer()


def recalculer(fichiers: list[str] | None = None) -> None:
	"""Put right the File rows written without the File controller (SQL, restores, imports): all of
	them, or only these."""
	champ = f"`tabFile`.`{CHAMP_STRUCTURE}`"
	seulement = " and `tabFile`.`name` in %(fichiers)s" if fichiers else ""
	valeurs = {"proteges": PROTECTED_DOCTYPES, "fichiers": fichiers or [""]}
	for doctype in PROTECTED_DOCTYPES:
		if doctype == "Structure":
			source = "d.`name`"
		elif frappe.db.has_column(doctype, "structure"):
			source = "d.`structure`"
		else:
			source = "null"
		frappe.db.sql(
			f"""update `tabFile` left join `tab{doctype}` d on d.`name` = `tabFile`.`attached_to_name`
			set {champ} = {source}
			where `tabFile`.`attached_to_doctype` = %(doctype)s and not ({champ} <=> {source}){seulement}""",
			{**valeurs, "doctype": doctype},
		)
	frappe.db.sql(
		f"""update `tabFile` set {champ} = null where {champ} is not null
		and ifnull(`tabFile`.`attached_to_doctype`, '') not in %(proteges)s{seulement}""",
		valeurs,
	)
