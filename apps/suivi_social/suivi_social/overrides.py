"""Whitelisted methods of Frappe v15.44.2 that skip the structure isolation (FRAPPE-NOTES §2.5).

Each is replaced through `override_whitelisted_methods` (resolved before dispatch, so desk and
REST calls both land here) and has a regression test in tests/securite/ that fails without it.
search_link / search_widget, which a client could call with ignore_user_permissions=1
(frappe#34995), need no override: no request may carry that flag (frappe_fixes, fix 4).
The fixes were merged upstream after 15.44.2 (the version masking, frappe#33194 / #42576, is still
open); drop an override once the pinned tag has it."""

import json

import frappe
from frappe.desk import search
from frappe.desk.form import load


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
	load.getdoc(doctype, name, user)
	masquer_versions()


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	load.get_docinfo(doc, doctype, name)
	masquer_versions()


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


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's "Assigned To" counts ToDos of records read without any permission, and of
	any DocType whose names match (FRAPPE-NOTES §2.5, leak 4). Other fields are already safe."""
	from frappe.desk import listview

	if field != "assigned_to":
		return listview.get_group_by_count(doctype, current_filters, field)
	permitted = frappe.get_list(
		doctype,
		filters=frappe.parse_json(current_filters),
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
