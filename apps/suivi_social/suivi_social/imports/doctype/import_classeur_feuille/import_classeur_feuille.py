from frappe.model.document import Document


class ImportClasseurFeuille(Document):
	pass
