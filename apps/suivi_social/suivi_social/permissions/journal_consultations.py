"""Who opened which file: Frappe's View Log, read by the Responsable for their structure only.

Frappe writes a View Log row each time a user opens the form of a DocType with `track_views`
(frappe.desk.form.load.getdoc → Document.add_viewed): Bénéficiaire, Accompagnement and Compte rendu
privé here. Only System Manager may read that DocType. The Responsable gets read and report on it
(a Custom DocPerm, set by `synchroniser`), no write, no delete: the log is the agents' account of
their reading, nobody of the app edits it.

The criterion is the structure of the opened record, not the reader's (permissions/journal_acces.py
filters the Access Log by colleagues, because an export names no record): a Responsable must see
who opened their structure's files, whoever it was (an administrator of the site included), and
nothing of another structure's. Each row carries that structure in a `structure` field, set when
it is written (`renseigner_structure`), so that the list filters it on an index and the generic
structure criterion (permissions/structure.py) applies, as on every other record that carries one.
A row of a record without structure (none of the tracked DocTypes) has none: System Manager only.

Openings through the REST API (/api/resource/<doctype>/<name>) and through `frappe.client.get` (what
`frappe.db.get_doc` calls in the browser, by name or by filters) are logged too
(`journaliser_lecture_rest`). With a read-only database replica (`read_from_replica`), Frappe defers
the insert and skips the document hooks: such rows would carry no structure, System Manager only.

Kept for a configurable time (Log Settings; hooks.py `default_log_clearing_doctypes`)."""

import re
from urllib.parse import unquote

import frappe

from suivi_social.roles import RESPONSABLE

DOCTYPE = "View Log"

# The custom field that carries the structure of the opened record.
CHAMP_STRUCTURE = {
	"fieldname": "structure",
	"label": "Structure",
	"fieldtype": "Link",
	"options": "Structure",
	"insert_after": "reference_name",
	"read_only": 1,
	"search_index": 1,
	"in_list_view": 1,
	"in_standard_filter": 1,
}
# Columns and filters of the list: who, which record, when (`creation`, the list's own column).
LISTE = {
	"in_list_view": ("viewed_by", "reference_doctype", "reference_name"),
	"in_standard_filter": ("viewed_by", "reference_doctype", "reference_name"),
}


def renseigner_structure(doc, method=None) -> None:
	"""View Log before_insert: the structure of the opened record, always read from the database
	(a value given with the row is replaced: it would file the row under another structure)."""
	doc.structure = None
	if (
		doc.reference_doctype
		and doc.reference_name
		and frappe.get_meta(doc.reference_doctype).has_field("structure")
	):
		doc.structure = frappe.db.get_value(doc.reference_doctype, doc.reference_name, "structure")


def synchroniser() -> None:
	"""Idempotent: the structure field, the Responsable's read (no write, no delete), the list view."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_field
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter
	from frappe.permissions import add_permission, update_permission_property

	changed = False
	if not frappe.db.exists("Custom Field", {"dt": DOCTYPE, "fieldname": CHAMP_STRUCTURE["fieldname"]}):
		create_custom_field(DOCTYPE, dict(CHAMP_STRUCTURE, is_system_generated=1))
		changed = True

	def regle() -> dict | None:
		return frappe.db.get_value(
			"Custom DocPerm",
			{"parent": DOCTYPE, "role": RESPONSABLE, "permlevel": 0, "if_owner": 0},
			["name", "read", "report", "export", "print", "email", "write", "create", "delete", "share"],
			as_dict=True,
		)

	if not regle():
		add_permission(DOCTYPE, RESPONSABLE, 0)
		changed = True
	actuelle, droits = regle(), {"read": 1, "report": 1}
	for ptype in ("read", "report", "export", "print", "email", "write", "create", "delete", "share"):
		voulu = droits.get(ptype, 0)
		if actuelle.get(ptype) != voulu:
			update_permission_property(DOCTYPE, RESPONSABLE, 0, ptype, voulu, validate=False)
			changed = True

	meta = frappe.get_meta(DOCTYPE)
	for prop, fields in LISTE.items():
		for fieldname in fields:
			if not meta.get_field(fieldname).get(prop):
				make_property_setter(
					DOCTYPE, fieldname, prop, "1", "Check", validate_fields_for_doctype=False
				)
				changed = True
	if changed:
		frappe.clear_cache(doctype=DOCTYPE)


# /api/resource/<doctype>/<name> (v1, also under /api/v1/) and /api/v2/document/<doctype>/<name>.
LECTURE_REST = re.compile(r"/api/(?:v1/)?resource/([^/]+)/(.+?)/?|/api/v2/document/([^/]+)/(.+?)/?")
# frappe.client.get, v1 and v2: the record is named in the answer (it may be asked for by filters).
LECTURE_CLIENT = re.compile(r"/api/(?:v1/|v2/)?method/frappe\.client\.get/?")


def journaliser_lecture_rest(response=None, request=None) -> None:
	"""after_request: a record of a DocType with `track_views` read whole through the REST API or
	`frappe.client.get` is an opening too. Frappe writes a View Log only in the desk's form load
	(getdoc); a script with an API key reading files one by one left no trace. Logged once the read
	succeeded (HTTP 200, after Frappe's permission check), committed here: after_request hooks run
	after the request's own commit."""
	if not (request and response) or response.status_code != 200 or frappe.session.user == "Guest":
		return
	chemin = unquote(request.path)
	if request.method == "GET" and (match := LECTURE_REST.fullmatch(chemin)):
		doctype, name = match.group(1) or match.group(3), match.group(2) or match.group(4)
	elif LECTURE_CLIENT.fullmatch(chemin):
		doctype, name = _document_lu(response)
	else:
		return
	if not (doctype and name) or not frappe.db.exists("DocType", doctype):
		return
	if not frappe.get_meta(doctype).track_views:
		return
	frappe.get_doc(doctype, name).add_viewed()
	frappe.db.commit()


def _document_lu(response) -> tuple[str | None, str | None]:
	"""The DocType and name of the record `frappe.client.get` answered with (v1: `message`, v2:
	`data`), whatever the arguments named it by."""
	try:
		corps = frappe.parse_json(response.get_data(as_text=True)) or {}
	except ValueError:
		return None, None
	doc = corps.get("message", corps.get("data")) if isinstance(corps, dict) else None
	if not isinstance(doc, dict):
		return None, None
	return doc.get("doctype"), doc.get("name")
