from frappe.model.document import Document


class ReaffectationLigne(Document):
	pass
