import frappe
from frappe import _
from frappe.model.document import Document

from suivi_social.imports.erreurs import ImportImpossible, verifier_peut_importer
from suivi_social.utils.erreurs import refuser

STATUTS_ACTIFS = ("En attente", "En cours")


class ImportClasseur(Document):
	"""One import of a legacy workbook into a structure: the file, each sheet's mapping and
	typology, the dry-run report, the progress of the run and its result (imports/execution.py)."""

	def validate(self):
		verifier_peut_importer(self.structure)
		self.validate_fichier()
		self.validate_feuilles()

	def validate_fichier(self):
		fichier = self.fichier_joint()
		self.nom_fichier = fichier.file_name if fichier else None
		if self.has_value_changed("fichier") and not self.is_new() and self.statut in STATUTS_ACTIFS:
			refuser(self, "fichier", _("ne peut pas changer pendant l'import"))

	def fichier_joint(self):
		"""The File of `fichier`: private, and this import's own or an upload of the current user
		(never another record's file named by its URL)."""
		if not self.fichier:
			return None
		fichiers = frappe.get_all(
			"File",
			filters={"file_url": self.fichier},
			fields=["name", "file_name", "is_private", "attached_to_doctype", "attached_to_name", "owner"],
		)
		for fichier in fichiers:
			du_document = (
				fichier.attached_to_doctype == self.doctype and fichier.attached_to_name == self.name
			)
			televerse = not fichier.attached_to_doctype and fichier.owner == frappe.session.user
			if du_document or televerse:
				if not fichier.is_private:
					refuser(
						self,
						"fichier",
						_("doit être un fichier privé (décochez « Public » au téléversement)"),
					)
				return fichier
		refuser(self, "fichier", _("n'est pas un fichier téléversé pour cet import"))

	def validate_feuilles(self):
		import json

		if self.get("decisions"):
			try:
				valeur = json.loads(self.decisions)
			except ValueError:
				valeur = None
			if not isinstance(valeur, list):
				refuser(self, "decisions", _("doit être une liste JSON de décisions"))

		for row in self.feuilles:
			if row.correspondance:
				try:
					json.loads(row.correspondance)
				except ValueError:
					refuser(row, "correspondance", _("n'est pas un JSON valide"))
			if row.typologie and row.nouvelle_typologie:
				row.nouvelle_typologie = None

	def on_update(self):
		# An upload made before the first save is attached to the import now.
		fichier = self.fichier_joint()
		if fichier and not fichier.attached_to_doctype:
			doc = frappe.get_doc("File", fichier.name)
			doc.update(
				{
					"attached_to_doctype": self.doctype,
					"attached_to_name": self.name,
					"attached_to_field": "fichier",
				}
			)
			doc.save(ignore_permissions=True)

	def on_trash(self):
		if self.statut in STATUTS_ACTIFS:
			frappe.throw(_("L'import est en cours : attendez sa fin pour le supprimer."), ImportImpossible)
