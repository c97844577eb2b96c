from frappe.model.document import Document


class EntourageBeneficiaire(Document):
	pass
