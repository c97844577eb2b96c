import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.exceptions import TypologieUtilisee
from suivi_social.utils.erreurs import refuser


class TypeAccompagnement(Document):
	def validate(self):
		self.nom = " ".join((self.nom or "").split())
		self.validate_nom_unique()
		if not self.is_new() and self.has_value_changed("structure"):
			refuser(self, "structure", _("ne peut pas changer : créez le type dans l'autre structure"))

	def validate_nom_unique(self):
		if frappe.db.exists(
			"Type Accompagnement", {"structure": self.structure, "nom": self.nom, "name": ("!=", self.name)}
		):
			refuser(self, "nom", _("« {0} » existe déjà dans cette structure").format(self.nom))

	def on_trash(self):
		# Checked here rather than left to Frappe's link check, which `force=True` skips.
		if frappe.db.exists("Type Accompagnement Lien", {"type_accompagnement": self.name}):
			frappe.throw(
				_(
					"Le type d'accompagnement « {0} » est utilisé par des accompagnements : "
					"il ne peut pas être supprimé. Décochez « Actif » pour ne plus le proposer."
				).format(self.nom),
				exc=TypologieUtilisee,
				title=_("Suppression impossible"),
			)
