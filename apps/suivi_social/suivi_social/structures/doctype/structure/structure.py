from frappe.model.document import Document


class Structure(Document):
	pass
