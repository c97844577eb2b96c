import json

import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.imports.correspondance import CIBLES
from suivi_social.imports.erreurs import verifier_peut_importer
from suivi_social.utils.erreurs import refuser


class ModeleImport(Document):
	"""A confirmed mapping, applied automatically to any sheet of the structure with the same headers."""

	def validate(self):
		verifier_peut_importer(self.structure)
		self.validate_correspondance()
		self.validate_unique()

	def validate_correspondance(self):
		try:
			valeurs = json.loads(self.correspondance or "{}")
		except ValueError:
			refuser(self, "correspondance", _("n'est pas un JSON valide"))
		if not isinstance(valeurs, dict):
			refuser(self, "correspondance", _("doit associer chaque en-tête à un champ"))
		inconnues = sorted({v for v in valeurs.values() if v not in CIBLES})
		if inconnues:
			refuser(self, "correspondance", _("champs inconnus : {0}").format(", ".join(map(str, inconnues))))

	def validate_unique(self):
		if frappe.db.exists(
			"Modele Import",
			{"structure": self.structure, "cle_entetes": self.cle_entetes, "name": ("!=", self.name)},
		):
			refuser(self, "cle_entetes", _("un modèle existe déjà pour ces en-têtes dans cette structure"))
