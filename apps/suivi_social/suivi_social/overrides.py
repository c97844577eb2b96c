"""Whitelisted methods of Frappe v15.44.2 that skip the structure isolation (FRAPPE-NOTES §2.5).

Each is replaced through `override_whitelisted_methods` (resolved before dispatch, so desk and
REST calls both land here) and has a regression test in tests/securite/ that fails without it.
search_link / search_widget, which a client could call with ignore_user_permissions=1
(frappe#34995), need no override: no request may carry that flag (frappe_fixes, fix 4).
The fixes were merged upstream after 15.44.2 (the version masking, frappe#33194 / #42576, is still
open); drop an override once the pinned tag has it."""

import json

import frappe
from frappe import _, client
from frappe.contacts.doctype.address import address
from frappe.desk import search
from frappe.desk.form import load
from frappe.model.document import Document

from suivi_social.durcissement import document_json
from suivi_social.permissions.pieces_jointes import masquer_dans_docinfo


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	"""frappe.client.get_count counts with frappe.db.count, which applies no permission (frappe#35657)."""
	result = frappe.get_list(
		doctype,
		filters=filters,
		fields=[f"count(distinct `tab{doctype}`.`name`) as total"],
		order_by="",
		limit_page_length=0,
	)
	return result[0].total if result else 0


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	"""Returned any record's title without a permission check (frappe#41374). The check applies to
	every DocType, as search_link checks it, so that a new one is covered too."""
	ptype = "select" if frappe.only_has_select_perm(doctype) else "read"
	if not frappe.has_permission(doctype, ptype, docname):
		return docname
	return search.get_link_title(doctype, docname)


@frappe.whitelist()
def getdoc(doctype: str, name: str, user=None):
	"""The form's timeline carries the last Versions raw: old and new values of every changed field,
	confidential ones included (frappe#33194, #42576). The document itself is masked, not them."""
	# Frappe imports the controller of any name it is given: an unknown DocType answered HTTP 500.
	if not frappe.db.exists("DocType", doctype):
		frappe.throw(_("Type de document « {0} » introuvable.").format(doctype), frappe.DoesNotExistError)
	load.getdoc(doctype, name, user)
	masquer_versions()
	masquer_dans_docinfo()


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	# `doc` is for Frappe's own Python callers: from a request it is JSON, which Frappe's
	# get_docinfo cannot use (HTTP 500); the document is then named by doctype and name.
	if not isinstance(doc, Document):
		if not (doctype and name):
			from suivi_social.durcissement import parametre_invalide

			parametre_invalide(_("Paramètre manquant : « doctype » et « name »."))
		if not frappe.db.exists("DocType", doctype):
			frappe.throw(_("Type de document « {0} » introuvable.").format(doctype), frappe.DoesNotExistError)
		doc = None
	load.get_docinfo(doc, doctype, name)
	masquer_versions()
	masquer_dans_docinfo()


def masquer_versions() -> None:
	"""Remove from docinfo.versions every field, and every child row, the user may not read."""
	docinfo = frappe.response.get("docinfo")
	if not docinfo or not docinfo.get("versions"):
		return
	meta = frappe.get_meta(docinfo.doctype)
	levels = set(meta.get_permlevel_access("read"))
	if levels.issuperset({df.permlevel for df in meta.fields}):
		return
	lisibles = {df.fieldname for df in meta.fields if df.permlevel in levels}
	tables = {df.fieldname: df.options for df in meta.get_table_fields() if df.fieldname in lisibles}

	def champ_enfant_lisible(table: str, fieldname: str) -> bool:
		df = frappe.get_meta(tables[table]).get_field(fieldname)
		return df is None or df.permlevel in levels

	for version in docinfo.versions:
		data = json.loads(version.data or "{}")
		if "changed" in data:
			data["changed"] = [c for c in data["changed"] if c[0] in lisibles]
		for key in ("added", "removed"):
			if key in data:
				data[key] = [r for r in data[key] if r[0] in tables]
		if "row_changed" in data:
			data["row_changed"] = [
				[table, idx, row_name, [c for c in changes if champ_enfant_lisible(table, c[0])]]
				for table, idx, row_name, changes in data["row_changed"]
				if table in tables
			]
		version.data = json.dumps(data)


# frappe.client's writes return the saved document whole, fields the user may not read included
# (frappe_fixes, fix 8): the Agent d'accueil who changed a phone number through set_value received
# the file's NIR. Each returns the same document without them.


def document_lisible(resultat: dict) -> dict:
	from suivi_social.frappe_fixes import sans_champs_illisibles

	return sans_champs_illisibles(frappe.get_doc(resultat)).as_dict()


@frappe.whitelist(methods=["POST", "PUT"])
def set_value(doctype: str, name: str, fieldname, value=None) -> dict:
	return document_lisible(client.set_value(doctype, name, fieldname, value))


@frappe.whitelist(methods=["POST", "PUT"])
def insert(doc=None) -> dict:
	return document_lisible(client.insert(document_json(doc)))


@frappe.whitelist(methods=["POST", "PUT"])
def save(doc) -> dict:
	return document_lisible(client.save(document_json(doc)))


@frappe.whitelist(methods=["POST", "PUT"])
def submit(doc) -> dict:
	return document_lisible(client.submit(document_json(doc)))


@frappe.whitelist(methods=["POST", "PUT"])
def cancel(doctype: str, name: str) -> dict:
	return document_lisible(client.cancel(doctype, name))


@frappe.whitelist()
def get_default_address(doctype: str, name: str | None, sort_key: str = "is_primary_address") -> str | None:
	"""Named the address linked to any record, without checking that record (read with get_all): a
	user of A learnt the address of another structure's file. Our roles may create addresses and
	contacts linked to a file (Frappe's address book)."""
	if not name or not frappe.has_permission(doctype, "read", name):
		return None
	return address.get_default_address(doctype, name, sort_key)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's "Assigned To" counts ToDos of records read without any permission, and of
	any DocType whose names match (FRAPPE-NOTES §2.5, leak 4). Other fields are already safe."""
	from frappe.desk import listview

	from suivi_social.durcissement import lire_json, parametre_invalide

	# Frappe's json.loads of a malformed filter answered HTTP 500.
	filtres = lire_json(current_filters, "current_filters")
	if not isinstance(filtres, dict | list):
		parametre_invalide(
			_("Filtres invalides : une liste de conditions [champ, opérateur, valeur] est attendue.")
		)
	if field != "assigned_to":
		return listview.get_group_by_count(doctype, current_filters, field)
	permitted = frappe.get_list(
		doctype,
		filters=filtres,
		fields=[f"`tab{doctype}`.`name`"],
		order_by="",
		limit_page_length=0,
		run=0,
	)
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo join `tabUser` user on user.name = todo.allocated_to
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = %(doctype)s
			and todo.reference_name in ({permitted.replace("%", "%%")})
		group by todo.allocated_to
		order by count desc
		limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


# Found by the second review of the sweep's Frappe methods: each read or wrote B's records with
# get_all, raw SQL or no check at all (tests/securite/test_methodes_sans_controle.py, test_etiquettes.py).


@frappe.whitelist()
def get_workflow_state_count(doctype: str, workflow_state_field: str, states) -> list[dict] | None:
	"""Counted every structure's records with get_all, grouped by any column the client names: a user
	of A listed B's « nom_usage » values with their counts, the Agent d'accueil any confidential field's
	values. Counted through get_list: the structure criterion applies, and a grouping on a field the
	user may not read is refused (frappe_fixes, fix 2)."""
	frappe.has_permission(doctype=doctype, ptype="read", throw=True)
	states = liste_de_textes(states, "states")
	if workflow_state_field not in frappe.get_meta(doctype).get_valid_columns():
		return None
	result = frappe.get_list(
		doctype,
		fields=[workflow_state_field, "count(*) as count"],
		filters={workflow_state_field: ["not in", states]},
		group_by=workflow_state_field,
		order_by="",
		limit_page_length=0,
	)
	return [r for r in result if r[workflow_state_field]]


@frappe.whitelist()
def get_tagged_docs(doctype: str, tag: str) -> list[tuple]:
	"""Named every record of the DocType whose tags match (frappe.qb, no record check): the names of
	B's files, and which of them carry a tag. Read through get_list."""
	return frappe.get_list(doctype, filters={"_user_tags": ["like", tag]}, fields=["name"], as_list=True)


def verifier_lecture(doctype: str, name: str) -> None:
	if not frappe.has_permission(doctype, "read", name):
		frappe.throw(
			_("Vous n'avez pas accès à ce document : {0} {1}.").format(_(doctype), name),
			frappe.PermissionError,
		)


@frappe.whitelist(methods=["POST"])
def add_tag(tag: str, dt: str, dn: str, color=None) -> str:
	"""Frappe writes the tag with raw SQL on any record, without a check: a user of A tagged B's files
	(and created Tag Link rows that carry their titles). The form lets whoever reads a record tag it."""
	from frappe.desk.doctype.tag import tag as tags

	verifier_lecture(dt, dn)
	return tags.add_tag(tag, dt, dn, color)


@frappe.whitelist(methods=["POST"])
def add_tags(tags, dt: str, docs, color=None) -> None:
	from frappe.desk.doctype.tag import tag as module

	tags, docs = liste_de_textes(tags, "tags"), liste_de_textes(docs, "docs")
	for dn in docs:
		verifier_lecture(dt, dn)
	module.add_tags(tags, dt, docs, color)


def liste_de_textes(valeur, parametre: str) -> list[str]:
	"""A JSON list of names or words from the request (Frappe's json.loads answered HTTP 500)."""
	from suivi_social.durcissement import lire_json, parametre_invalide

	valeur = lire_json(valeur, parametre) if isinstance(valeur, str) else valeur
	if not isinstance(valeur, list) or not all(isinstance(v, str) for v in valeur):
		parametre_invalide(_("Paramètre « {0} » : une liste de textes est attendue.").format(parametre))
	return valeur


@frappe.whitelist(methods=["POST"])
def remove_tag(tag: str, dt: str, dn: str) -> None:
	from frappe.desk.doctype.tag import tag as tags

	verifier_lecture(dt, dn)
	tags.remove_tag(tag, dt, dn)


@frappe.whitelist(methods=["POST"])
def toggle_like(doctype: str, name: str, add=False) -> None:
	"""Frappe writes the like and a « Liked » comment on any record, without a check: a user of A
	commented B's files (and learnt which names exist)."""
	from frappe.desk import like

	verifier_lecture(doctype, name)
	like.toggle_like(doctype, name, add)


@frappe.whitelist()
def get_follow_users(doctype: str, doc_name: str) -> list[dict]:
	"""Named the users who follow any record (get_all): B's agents, for B's files."""
	from frappe.desk.form import document_follow

	if not frappe.has_permission(doctype, "read", doc_name):
		return []
	return document_follow.get_follow_users(doctype, doc_name)


@frappe.whitelist()
def validate_link(doctype: str, docname: str, fields=None) -> dict:
	"""Answered the name of any existing record to whoever may select its DocType: a user of A learnt
	which of B's file numbers exist (TB-00012…). A record the user may not select is answered as a
	missing one (its fields were already read through get_list)."""
	values = client.validate_link(doctype, docname, fields)
	if (
		values.get("name")
		and doctype != "DocType"
		and not (
			frappe.has_permission(doctype, "select", docname)
			or frappe.has_permission(doctype, "read", docname)
		)
	):
		frappe.clear_last_message()
		return frappe._dict(name=None)
	return values


@frappe.whitelist()
def get_events(
	start: str,
	end: str,
	user: str | None = None,
	for_reminder: bool = False,
	filters: str | dict | list | None = None,
) -> list:
	"""Frappe's calendar of Events takes the user whose private events it lists from the request: a
	user of A read the private events (subject, description) of B's agents. Always the caller's.
	Typed, and the filters read as JSON here: Frappe's json.loads answered HTTP 500."""
	from frappe.desk.doctype.event import event

	from suivi_social.durcissement import lire_json

	filtres = lire_json(filters, "filters") if isinstance(filters, str) else filters
	return event.get_events(start, end, frappe.session.user, for_reminder, filtres)


@frappe.whitelist(methods=["POST"])
def follow_document(doctype: str, doc_name: str, user: str):
	"""Frappe takes the follower from the request and checks nothing: a user of A made B's agents
	follow (or unfollow, below) any file, and learnt from the answer whether they followed it. The
	desk only ever sends its own user; a file followed must be readable."""
	from frappe.desk.form import document_follow

	verifier_suivi(doctype, doc_name, user)
	return document_follow.follow_document(doctype, doc_name, user)


@frappe.whitelist(methods=["POST"])
def unfollow_document(doctype: str, doc_name: str, user: str) -> int:
	from frappe.desk.form import document_follow

	verifier_suivi(doctype, doc_name, user)
	return document_follow.unfollow_document(doctype, doc_name, user)


def verifier_suivi(doctype: str, doc_name: str, user: str) -> None:
	if user != frappe.session.user:
		frappe.throw(_("Vous ne pouvez suivre un document que pour vous-même."), frappe.PermissionError)
	verifier_lecture(doctype, doc_name)


@frappe.whitelist(methods=["POST"])
def relink(name: str, reference_doctype: str | None = None, reference_name: str | None = None) -> None:
	"""Frappe rewrote any Communication's link with raw SQL, without a check: a user of A could move
	B's e-mails onto A's file, where A reads them, or A's onto B's. Both ends must now be the user's."""
	from frappe import email

	frappe.get_doc("Communication", name).check_permission("write")
	if reference_doctype or reference_name:
		verifier_lecture(reference_doctype, reference_name)
	email.relink(name, reference_doctype, reference_name)
