import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.imports.erreurs import verifier_peut_importer
from suivi_social.utils.erreurs import refuser
from suivi_social.utils.identite import cle_recherche


class CorrespondanceReferent(Document):
	"""Initials or names of référents in the legacy workbooks → agents of the structure, filled once.

	The agent must be an agent of the structure (permissions.structure.garde_structure)."""

	def validate(self):
		verifier_peut_importer(self.structure)
		self.code = " ".join((self.code or "").split())
		self.cle = cle_recherche(self.code)
		if not self.cle:
			refuser(self, "code", _("est obligatoire"))
		if frappe.db.exists(
			"Correspondance Referent",
			{"structure": self.structure, "cle": self.cle, "name": ("!=", self.name)},
		):
			refuser(
				self, "code", _("« {0} » a déjà une correspondance dans cette structure").format(self.code)
			)
