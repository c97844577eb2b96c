from frappe.model.document import Document


class CommuneCouverte(Document):
	pass
