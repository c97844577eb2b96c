import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.exceptions import HorsStructure
from suivi_social.utils.erreurs import refuser, verifier_agent


class Rappel(Document):
	def validate(self):
		self.set_structure()
		self.validate_assigne()

	def set_structure(self):
		"""A rappel about a file or an accompaniment belongs to that file's structure."""
		if self.accompagnement:
			acc = frappe.db.get_value(
				"Accompagnement", self.accompagnement, ["beneficiaire", "structure"], as_dict=True
			)
			if self.beneficiaire and acc and acc.beneficiaire != self.beneficiaire:
				refuser(self, "accompagnement", _("ne concerne pas ce bénéficiaire"))
			self.beneficiaire = acc.beneficiaire if acc else self.beneficiaire
		if self.beneficiaire:
			structure = frappe.db.get_value("Beneficiaire", self.beneficiaire, "structure")
			if self.structure and structure != self.structure:
				refuser(self, "beneficiaire", _("appartient à une autre structure"), exc=HorsStructure)
			self.structure = structure

	def validate_assigne(self):
		verifier_agent(self, "assigne_a", self.structure)
