import re

import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.utils.erreurs import normaliser, refuser
from suivi_social.utils.identite import (
	normaliser_code_postal,
	normaliser_email,
	normaliser_siret,
	normaliser_telephone,
)


class Structure(Document):
	def validate(self):
		self.validate_prefixe_dossier()
		self.validate_durees_conservation()
		normaliser(self, "siret", normaliser_siret)
		normaliser(self, "code_postal", normaliser_code_postal)
		normaliser(self, "telephone", normaliser_telephone)
		normaliser(self, "email", normaliser_email)
		for row in self.communes_couvertes:
			normaliser(row, "code_postal", normaliser_code_postal)
			if row.code_insee and not re.fullmatch(r"\d[\dAB]\d{3}", row.code_insee.strip().upper()):
				refuser(row, "code_insee", _("doit comporter 5 caractères (par exemple 69123 ou 2A004)"))

	def validate_prefixe_dossier(self):
		self.prefixe_dossier = (self.prefixe_dossier or "").strip().upper()
		if not re.fullmatch(r"[A-Z0-9]{2,10}", self.prefixe_dossier):
			refuser(self, "prefixe_dossier", _("2 à 10 lettres ou chiffres, sans espace ni accent"))
		if not self.is_new() and self.has_value_changed("prefixe_dossier"):
			if frappe.db.exists("Beneficiaire", {"structure": self.name}):
				refuser(
					self,
					"prefixe_dossier",
					_("ne peut plus changer : des dossiers portent déjà des numéros avec l'ancien préfixe"),
				)

	def validate_durees_conservation(self):
		from suivi_social.rgpd.conservation import valider_durees

		valider_durees(self)

	@frappe.whitelist()
	def importer_catalogue(self) -> int:
		"""Copy the app's catalogue of typologies into this structure (skips names it already has)."""
		from suivi_social.structures.catalogue import copier_catalogue

		return copier_catalogue(self.name)
