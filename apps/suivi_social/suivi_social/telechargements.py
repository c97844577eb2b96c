"""Every download of a document is logged in the Access Log: who, when, which file or record.

Frappe 15.44.2 logs a private file served at /private/files/… (utils/response.download_private_file),
a print (www/printview) and so every PDF built from it (download_pdf, download_multi_pdf go through
printview). Other whitelisted methods hand out a file's or a record's content and log nothing:
- frappe.handler.download_file (also called as `download_file`): any attachment by its URL, for
  whoever may read the File (the REST API's download);
- frappe.utils.weasyprint.download_pdf: the PDF of a record through a WeasyPrint print format
  (which also printed the fields the user may not read: see download_pdf).
Both are wrapped here (override_whitelisted_methods) and log once Frappe has checked the permission
and built the content: a refused download logs nothing. The rows carry what Frappe's own rows
carry (DocType, document, file type), so the Responsable reads them in the same journal
(permissions/journal_acces.py)."""

import os

import frappe
from frappe import handler
from frappe.utils import weasyprint

from suivi_social.exports import journaliser


@frappe.whitelist(allow_guest=True)
def download_file(file_url: str):
	"""frappe.handler.download_file, logged for private files (public ones are public: no trace)."""
	handler.download_file(file_url)
	file = frappe.db.get_value("File", {"file_url": file_url}, ["name", "is_private"], as_dict=True)
	if file and file.is_private and frappe.response.get("filecontent") is not None:
		journaliser(
			doctype="File",
			document=file.name,
			file_type=os.path.splitext(file_url)[-1][1:],
			method="Download",
		)


@frappe.whitelist()
def download_pdf(doctype: str, name: str, print_format: str, letterhead: str | None = None):
	"""frappe.utils.weasyprint.download_pdf (the print page's PDF for a format of the « Print Format
	Builder Beta »), logged like Frappe's printview. Its generator also renders the whole document,
	whatever the user may read: printed from a copy without those fields, as printview is
	(frappe_fixes.sans_champs_illisibles, fix 7). Frappe's body, with that copy."""
	from suivi_social.frappe_fixes import sans_champs_illisibles

	doc = frappe.get_doc(doctype, name)
	doc.check_permission("print")
	generator = weasyprint.PrintFormatGenerator(print_format, sans_champs_illisibles(doc), letterhead)
	frappe.local.response.filename = "{name}.pdf".format(name=name.replace(" ", "-").replace("/", "-"))
	frappe.local.response.filecontent = generator.render_pdf()
	frappe.local.response.type = "pdf"
	journaliser(doctype=doctype, document=name, file_type="PDF", method="Print")
