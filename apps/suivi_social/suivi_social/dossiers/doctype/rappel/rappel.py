import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.utils.erreurs import refuser


class Rappel(Document):
	# Structure, links and assignee are guarded by permissions.structure.garde_structure (the
	# accompaniment must be of the rappel's structure).
	def validate(self):
		self.set_beneficiaire()

	def set_beneficiaire(self):
		"""A rappel about an accompaniment is about its file."""
		if not self.accompagnement:
			return
		beneficiaire = frappe.db.get_value("Accompagnement", self.accompagnement, "beneficiaire")
		if self.beneficiaire and beneficiaire != self.beneficiaire:
			refuser(self, "accompagnement", _("ne concerne pas ce bénéficiaire"))
		self.beneficiaire = beneficiaire


def on_doctype_update():
	"""The workspace's cards « Rappels en retard » and « Mes rappels … » (dossiers/rappels.py) count a
	structure's rappels to do by due date, the morning job (dossiers/rappels_du_matin.py) reads those
	due: read from these indexes (the structure's, and each agent's own)."""
	frappe.db.add_index("Rappel", ["structure", "statut", "date_echeance"])
	frappe.db.add_index("Rappel", ["assigne_a", "statut", "date_echeance"])
