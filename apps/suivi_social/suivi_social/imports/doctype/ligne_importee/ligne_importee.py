import frappe
from frappe.model.document import Document


class LigneImportee(Document):
	"""The fingerprint of a row written by an import: importing it again writes nothing."""


def on_doctype_update():
	# One fingerprint per structure: a row cannot be written twice, even by two concurrent runs.
	frappe.db.add_unique(
		"Ligne Importee", ["structure", "empreinte"], constraint_name="unique_structure_empreinte"
	)
