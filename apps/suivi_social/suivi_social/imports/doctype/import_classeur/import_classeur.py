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
		self.validate_essai_a_jour()

	def validate_fichier(self):
		fichier = self.fichier_joint()
		self.flags.fichier_joint = fichier
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
		temporaire = self.get("__temporary_name") if self.is_new() else None
		for fichier in fichiers:
			du_document = (
				fichier.attached_to_doctype == self.doctype and fichier.attached_to_name == self.name
			)
			# Uploaded by the current user before the first save: not attached, or attached to the
			# temporary name of the desk's new form (Frappe relinks it after the insert).
			televerse = fichier.owner == frappe.session.user and (
				not fichier.attached_to_doctype
				or (
					bool(temporaire)
					and (fichier.attached_to_doctype, fichier.attached_to_name) == (self.doctype, temporaire)
				)
			)
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
			from suivi_social.imports.analyse import lire_decisions

			try:
				valeur = json.loads(self.decisions)
			except ValueError:
				refuser(self, "decisions", _("doit être une liste JSON de décisions"))
			try:
				lire_decisions(valeur)
			except ValueError as erreur:
				refuser(self, "decisions", str(erreur))

		for row in self.feuilles:
			if row.correspondance:
				try:
					json.loads(row.correspondance)
				except ValueError:
					refuser(row, "correspondance", _("n'est pas un JSON valide"))
			if row.typologie and row.nouvelle_typologie:
				row.nouvelle_typologie = None

	def validate_essai_a_jour(self):
		"""A sheet's mapping or typology, or a decision on a duplicate, changed after the dry run:
		the dry run is to be done again before the import is launched."""
		if self.is_new() or self.statut != "Analysé" or self.has_value_changed("date_analyse"):
			return
		avant = self.get_doc_before_save()
		if avant and _reglages(avant) != _reglages(self):
			self.statut = "Brouillon"

	def on_update(self):
		# An upload made before the first save is attached to the import now.
		fichier = self.flags.fichier_joint or self.fichier_joint()
		if fichier and (fichier.attached_to_doctype, fichier.attached_to_name) != (self.doctype, self.name):
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


def _reglages(doc) -> tuple:
	"""What the dry run depends on: each sheet's choices (mapping as header key → target, whatever
	the samples stored beside it) and the decisions on duplicates."""
	import json

	def lire(texte):
		try:
			return json.loads(texte) if texte else None
		except ValueError:
			return texte

	def cibles(texte):
		valeur = lire(texte)
		if isinstance(valeur, list):
			return sorted((str(c.get("cle")), str(c.get("cible"))) for c in valeur if isinstance(c, dict))
		return valeur

	feuilles = sorted(
		(
			r.nom_feuille,
			int(r.importer or 0),
			r.typologie or "",
			"" if r.typologie else (r.nouvelle_typologie or ""),
			r.mode or "",
			repr(cibles(r.correspondance)),
		)
		for r in doc.feuilles
	)
	return feuilles, repr(lire(doc.get("decisions")))
