from frappe.model.document import Document


class TypeAccompagnement(Document):
	pass
