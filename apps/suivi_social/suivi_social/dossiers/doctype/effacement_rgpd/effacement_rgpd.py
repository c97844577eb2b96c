from frappe.model.document import Document


class EffacementRGPD(Document):
	"""The audit record of one erasure (right to erasure), written only by rgpd/droits.py: no role
	may create, change or delete one. It names the structure, the date, who erased and how many
	records of each kind: never the person, nor the file number (an opaque `reference` instead)."""
