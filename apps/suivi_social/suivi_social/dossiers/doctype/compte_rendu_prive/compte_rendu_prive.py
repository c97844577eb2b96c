import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.exceptions import HorsStructure
from suivi_social.permissions.structure import is_agent_of
from suivi_social.utils.erreurs import refuser


class CompteRenduPrive(Document):
	"""Kept apart from Accompagnement: a per-author rule cannot be expressed with permlevels."""

	def validate(self):
		self.structure = frappe.db.get_value("Accompagnement", self.accompagnement, "structure")
		if self.is_new():
			self.auteur = frappe.session.user
		elif self.has_value_changed("auteur"):
			refuser(self, "auteur", _("ne peut pas changer"))
		if self.delegue and not is_agent_of(self.delegue, self.structure):
			refuser(
				self,
				"delegue",
				_("{0} n'est pas un agent de la structure {1}").format(self.delegue, self.structure),
				exc=HorsStructure,
			)
