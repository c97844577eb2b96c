"""Every export is logged in Frappe's Access Log: who exported what, when, with which filters.

Frappe 15.44.2 logs the Report Builder export (reportview.export_query), prints and PDFs, the Data
Export tool and private-file downloads. It does not log (FRAPPE-NOTES §2.4, §7):
- the export of a Script or Query Report (frappe.desk.query_report.export_query): the desk asks the
  browser to log it before downloading, so a direct call to the endpoint left no trace;
- the list view's « Exporter » (Actions menu), which is Data Import's « Download template » with
  data (download_template).
Both are wrapped here (override_whitelisted_methods) to log on the server, after Frappe's own
permission checks, once the file is built. The Responsable reads the log of their structure's
users (permissions/journal_acces.py).

Two of these export paths also skipped field-level confidentiality:
- download_template reads child-table rows with frappe.get_all (data_import/exporter.py,
  get_data_as_docs): every field of the table, whatever the user's permission level;
- the Data Export tool (data_export/exporter.py) reads child tables through frappe.qb, with no
  permission at all. It is the System Manager's tool (its DocType is theirs only), but its method
  is whitelisted for anyone with the export right: data exports through it are refused to others.

The app's own exports (the yearly activity report's PDF and Excel) log through `journaliser`."""

import frappe
from frappe import _
from frappe.core.doctype.access_log import access_log
from frappe.core.doctype.data_export import exporter as data_export
from frappe.core.doctype.data_import import data_import
from frappe.desk import query_report

from suivi_social.durcissement import exiger_des_textes, lire_json, parametre_invalide

# The value Frappe's own desk writes in `method` for an export (query_report.js, export_report).
EXPORT = "Export"


def journaliser(
	doctype: str | None = None,
	report_name: str | None = None,
	file_type: str | None = None,
	filters=None,
	method: str = EXPORT,
	columns=None,
	document: str | None = None,
) -> None:
	"""One Access Log entry for the session user (committed at once by Frappe, outside tests)."""
	access_log.make_access_log(
		doctype=doctype,
		document=document,
		report_name=report_name,
		file_type=file_type,
		filters=filters if filters is None or isinstance(filters, str) else frappe.as_json(filters),
		method=method,
		columns=columns if columns is None or isinstance(columns, str) else frappe.as_json(columns),
	)


@frappe.whitelist()
def export_query():
	"""Script / Query Report export (frappe.desk.query_report.export_query), logged."""
	form = frappe.local.form_dict
	report_name, file_type, filters = (
		form.get("report_name"),
		form.get("file_format_type"),
		form.get("filters"),
	)
	if not report_name or not isinstance(report_name, str):
		# Frappe's export_query fails on it with HTTP 500 (tests/securite/test_entrees_invalides.py).
		parametre_invalide(_("Paramètre manquant : « report_name »."))
	query_report.export_query()
	# Logged once the file is built: an export refused on the way (the report's roles and
	# visibility, the export right, or the report's own check of its filters) exported nothing.
	if frappe.response.get("filecontent") is not None:
		journaliser(
			doctype=frappe.get_cached_value("Report", report_name, "ref_doctype"),
			report_name=report_name,
			file_type=file_type,
			filters=filters,
		)


@frappe.whitelist()
def make_access_log(
	doctype=None,
	document=None,
	method=None,
	file_type=None,
	report_name=None,
	filters=None,
	page=None,
	columns=None,
):
	"""The browser's own log line (frappe.core.doctype.access_log.access_log.make_access_log).

	Before downloading a report's export, the desk logs it from the browser; the server now logs
	the export itself (export_query above, with what it really exported), so that browser line
	would be a duplicate and is dropped. Every other call (prints of a report, trees) is logged."""
	valeurs = dict(
		doctype=doctype,
		document=document,
		method=method,
		file_type=file_type,
		report_name=report_name,
		filters=filters,
		page=page,
		columns=columns,
	)
	# The desk sends filters, columns and page as JSON text (frappe.request stringifies objects).
	exiger_des_textes(**valeurs)
	if method == EXPORT and report_name and frappe.db.exists("Report", report_name):
		return
	access_log.make_access_log(**valeurs)


@frappe.whitelist()
def download_template(
	doctype: str,
	export_fields: str | dict | None = None,
	export_records: str | None = None,
	export_filters: str | dict | list | None = None,
	file_type: str = "CSV",
):
	"""The list view's « Exporter » and Data Import's template: with data, logged, and the child
	tables limited to the fields the user may read."""
	# Frappe parses them with json.loads: malformed JSON answered HTTP 500.
	export_fields = lire_json(export_fields, "export_fields")
	export_filters = lire_json(export_filters, "export_filters")
	if export_records == "blank_template":  # the columns only, no record: nothing to log
		return data_import.download_template(
			doctype, export_fields, export_records, export_filters, file_type
		)
	if not isinstance(export_fields or {}, dict):
		parametre_invalide(
			_("Paramètre « {0} » : valeur invalide (type attendu : {1}).").format("export_fields", "dict")
		)
	export_fields = champs_lisibles(doctype, export_fields or {})
	data_import.download_template(doctype, export_fields, export_records, export_filters, file_type)
	journaliser(doctype=doctype, file_type=file_type, filters=export_filters, columns=export_fields)


def champs_lisibles(doctype: str, export_fields: dict) -> dict:
	"""`export_fields` ({doctype: [fields], table fieldname: [fields]}) without what the session
	user may not read: fields and tables of a permission level they lack."""
	meta = frappe.get_meta(doctype)
	niveaux = set(meta.get_permlevel_access("read"))

	def lisibles(fields, child_meta) -> list[str]:
		return [
			f
			for f in fields or []
			if f == "name" or ((df := child_meta.get_field(f)) is not None and df.permlevel in niveaux)
		]

	result = {}
	for key, fields in export_fields.items():
		if key == doctype:
			result[key] = lisibles(fields, meta)
			continue
		table = meta.get_field(key)
		if table and table.fieldtype in frappe.model.table_fields and table.permlevel in niveaux:
			result[key] = lisibles(fields, frappe.get_meta(table.options))
	return result


@frappe.whitelist()
def export_data(
	doctype=None,
	parent_doctype=None,
	all_doctypes=True,
	with_data=False,
	select_columns=None,
	file_type="CSV",
	template=False,
	filters=None,
	export_without_column_meta=False,
):
	"""The Data Export tool: with data, for System Manager only (it reads child tables unchecked)."""
	exiger_des_textes(doctype=doctype, parent_doctype=parent_doctype, file_type=file_type)
	select_columns = lire_json(select_columns, "select_columns")
	filters = lire_json(filters, "filters")
	if frappe.utils.sbool(with_data) and "System Manager" not in frappe.get_roles():
		frappe.throw(
			_(
				"L'outil d'export de données est réservé à l'administrateur du site : "
				"exportez depuis la liste ou depuis un rapport."
			),
			frappe.PermissionError,
		)
	return data_export.export_data(
		doctype=doctype,
		parent_doctype=parent_doctype,
		all_doctypes=all_doctypes,
		with_data=with_data,
		select_columns=select_columns,
		file_type=file_type,
		template=template,
		filters=filters,
		export_without_column_meta=export_without_column_meta,
	)
