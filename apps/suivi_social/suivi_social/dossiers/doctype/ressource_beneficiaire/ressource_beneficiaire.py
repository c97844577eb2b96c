from frappe.model.document import Document


class RessourceBeneficiaire(Document):
	pass
