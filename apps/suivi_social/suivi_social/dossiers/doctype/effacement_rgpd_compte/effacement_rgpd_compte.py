from frappe.model.document import Document


class EffacementRGPDCompte(Document):
	"""One kind of record erased, and how many."""
