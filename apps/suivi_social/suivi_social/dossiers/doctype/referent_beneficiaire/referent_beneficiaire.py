from frappe.model.document import Document


class ReferentBeneficiaire(Document):
	pass
