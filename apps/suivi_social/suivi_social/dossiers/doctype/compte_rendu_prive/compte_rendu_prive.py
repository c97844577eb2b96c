import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.utils.erreurs import refuser


class CompteRenduPrive(Document):
	"""Kept apart from Accompagnement: a per-author rule cannot be expressed with permlevels."""

	def validate(self):
		if self.is_new():
			self.auteur = frappe.session.user
		elif self.has_value_changed("auteur"):
			refuser(self, "auteur", _("ne peut pas changer"))
