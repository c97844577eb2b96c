from frappe.model.document import Document


class TypeAccompagnementLien(Document):
	pass
