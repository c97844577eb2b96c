from frappe.model.document import Document


class Reaffectation(Document):
	"""The audit record of one bulk reassignment, written only by continuite/reaffectation.py
	(no role may create, change or delete one)."""
