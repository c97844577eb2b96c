from frappe.model.document import Document


class ResponsableStructure(Document):
	pass
