from frappe.model.document import Document


class ModeleTypeAccompagnement(Document):
	pass
