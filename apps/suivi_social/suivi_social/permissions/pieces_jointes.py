"""Attachments of the app's records: always private, and « confidentiel » when a reader of the
confidential part of the record says so.

1. Private whatever the path. An attachment of one of our records (fichiers.PROTECTED_DOCTYPES) is
   stored under /private/files, whether it came from the desk uploader with « Public » ticked, from
   /api/method/upload_file, from frappe.client.insert, or was attached later to the record. A
   public URL given instead of content becomes a private copy (the public original may be used
   elsewhere: a website image). Making such an attachment public again is refused. Frappe serves
   /files/… to anyone, Guest included, with no permission check and no Access Log.

2. « Confidentiel » (a Check added to File, like fichiers.CHAMP_STRUCTURE: File is Frappe's DocType,
   so the field is a Custom Field created by the app's idempotent seed on every migrate, never a
   fixture). A confidential file is read (list, form, REST, download, preview, zip) only by the
   roles that read the confidential part of its record: the permission level 1 of the record's
   DocType (Bénéficiaire, Accompagnement: Responsable de structure and Travailleur social, never
   the Agent d'accueil nor the Administrateur Suivi social); for a DocType without confidential
   fields (Rappel, Absence, Structure…), the level 1 of Bénéficiaire, the file's confidential part.
   Only those roles set or clear the flag. Their structure is already required by the record's own
   rule (permissions/fichiers.py, and Frappe's File.has_permission, which reads the record).
   Frappe's download paths (/private/files, download_file, zip_files) call File.is_downloadable or
   the module's has_permission directly, without the has_permission hooks: the check is in the File
   class (is_downloadable) and in zip_files (overridden in hooks.py).
   Several File rows may share one file on disk (Frappe stores identical content once): the content
   is confidential as soon as one of its rows is.

3. A private file reached only by who may already read it. Frappe lets anyone create a File row
   that points to an existing private file by its URL (no content sent): the new row is theirs, so
   Frappe's File.has_permission lets them download it (owner), whatever the original's record.
   The same happens when an Attach field of a record is set to such a URL (Frappe attaches it on
   save, core/doctype/file/utils.attach_files_to_document) and when an e-mail attaches a File by
   name (communication/email.add_attachments). Creating a row that points to an existing private
   file is allowed only to who may download it already; so is an Attach field pointing to one."""

import frappe
from frappe import _
from frappe.core.doctype.file.file import File

from suivi_social.permissions.fichiers import CHAMP_STRUCTURE, PROTECTED_DOCTYPES

CHAMP_CONFIDENTIEL = "confidentiel"
LECTURE = (None, "read", "select", "print", "email", "export", "report")
# The DocType whose permission level 1 says who reads a file's confidential part, for the DocTypes
# that have no confidential field of their own.
DOSSIER = "Beneficiaire"

CUSTOM_FIELDS = {
	"File": [
		{
			"fieldname": CHAMP_CONFIDENTIEL,
			"label": "Confidentiel",
			"fieldtype": "Check",
			"insert_after": CHAMP_STRUCTURE,
			"no_copy": 1,
			"depends_on": f"eval:{list(PROTECTED_DOCTYPES)}.includes(doc.attached_to_doctype)",
			"description": "Lisible seulement par les rôles qui lisent la partie confidentielle du dossier "
			"(responsable, travailleur social ; jamais l'agent d'accueil).",
		}
	]
}


class PieceJointeRefusee(frappe.PermissionError):
	"""An attachment rule of this module refused the operation."""


def synchroniser() -> None:
	"""Create the field (idempotent; run after install and each migrate, install.seed)."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields(CUSTOM_FIELDS, update=True)


def est_protege(doctype: str | None) -> bool:
	return bool(doctype) and doctype in PROTECTED_DOCTYPES


def niveau_confidentiel(doctype: str | None) -> str:
	"""The DocType whose level 1 guards this DocType's confidential files."""
	if doctype and any(perm.permlevel for perm in frappe.get_meta(doctype).get_permissions()):
		return doctype
	return DOSSIER


def lit_le_confidentiel(doctype: str | None, user: str | None = None) -> bool:
	"""Whether the user's roles read the confidential part (permission level 1) of this DocType."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return 1 in frappe.get_meta(niveau_confidentiel(doctype)).get_permlevel_access("read", user=user)


# Who reads a confidential file ---------------------------------------------------------------


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False) -> bool | None:
	"""has_permission hook of File (can only deny): a confidential row, whatever the operation.
	A change is judged on the stored row: setting the flag is the controller's rule, with its message."""
	if doc.is_new():
		return None
	confidentiel = doc.get(CHAMP_CONFIDENTIEL)
	if ptype not in LECTURE:
		confidentiel = frappe.db.get_value("File", doc.name, CHAMP_CONFIDENTIEL)
	if confidentiel and not lit_le_confidentiel(doc.attached_to_doctype, user):
		return False
	return None


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of File, AND-ed with permissions/fichiers.py's."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	lisibles = [dt for dt in PROTECTED_DOCTYPES if lit_le_confidentiel(dt, user)]
	condition = f"ifnull(`tabFile`.`{CHAMP_CONFIDENTIEL}`, 0) = 0"
	if lisibles:
		dts = ", ".join(frappe.db.escape(dt) for dt in lisibles)
		condition += f" or `tabFile`.`attached_to_doctype` in ({dts})"
	return f"({condition})"


def contenu_lisible(file_url: str | None, user: str | None = None) -> bool:
	"""Whether the content at this URL is confidential through none of its rows, for this user."""
	if not file_url or not frappe.db.has_column("File", CHAMP_CONFIDENTIEL):
		return True
	parents = frappe.get_all(
		"File",
		filters={"file_url": file_url, CHAMP_CONFIDENTIEL: 1},
		pluck="attached_to_doctype",
		distinct=True,
		order_by=None,
	)
	return all(lit_le_confidentiel(parent, user) for parent in parents)


def masquer_dans_docinfo() -> None:
	"""The form's sidebar and timeline (docinfo, read by Frappe with get_all): a confidential file's
	name and URL, and the « attached » timeline entry that names it, only for its readers."""
	docinfo = frappe.response.get("docinfo")
	if not docinfo or not est_protege(docinfo.get("doctype")) or lit_le_confidentiel(docinfo.doctype):
		return
	from urllib.parse import quote

	urls = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": docinfo.doctype,
			"attached_to_name": docinfo.name,
			CHAMP_CONFIDENTIEL: 1,
		},
		pluck="file_url",
	)
	if not urls:
		return
	caches = set(urls) | {quote(frappe.safe_encode(url), safe="/:") for url in urls}
	docinfo.attachments = [a for a in docinfo.get("attachments") or [] if a.get("file_url") not in caches]
	docinfo.attachment_logs = [
		c
		for c in docinfo.get("attachment_logs") or []
		if not any(u in (c.get("content") or "") for u in caches)
	]


@frappe.whitelist()
def zip_files(files: str):
	"""frappe.core.api.file.zip_files, with the permission hooks: Frappe's File.zip_files checks
	only the module's has_permission, which knows nothing of confidential files."""
	from frappe.core.api import file as api

	from suivi_social.durcissement import lire_json

	noms = lire_json(files, "files")
	noms = [nom for nom in noms if isinstance(nom, str)] if isinstance(noms, list) else []
	permis = [nom for nom in noms if frappe.get_doc("File", nom).is_downloadable()]
	return api.zip_files(frappe.as_json(permis))


class Fichier(File):
	"""Frappe's File, with the rules above (override_doctype_class in hooks.py)."""

	def before_insert(self):
		contenu_envoye = bool(self.get("content"))
		if est_protege(self.attached_to_doctype):
			self.rendre_prive_a_l_insertion(contenu_envoye)
		elif not contenu_envoye:
			verifier_acces_au_fichier(self.file_url)
		super().before_insert()

	def rendre_prive_a_l_insertion(self, contenu_envoye: bool) -> None:
		self.is_private = 1
		url = self.file_url or ""
		if contenu_envoye or self.is_folder:
			return
		if url.startswith("/private/files/"):
			verifier_acces_au_fichier(url)
		elif url.startswith("/files/"):
			# A private copy: the public original may be used elsewhere.
			self.file_name = self.file_name or url.split("/")[-1]
			self.content = self.get_content()
			self.file_url = None

	def validate(self):
		self.garder_prive()
		self.garder_confidentiel()
		super().validate()

	def garder_prive(self) -> None:
		if self.is_folder or not est_protege(self.attached_to_doctype) or self.is_remote_file:
			return
		if not self.is_new() and not self.is_private and self.get_db_value("is_private"):
			frappe.throw(
				_("Une pièce jointe d'un dossier reste privée : elle ne peut pas être rendue publique."),
				exc=PieceJointeRefusee,
				title=_("Pièce jointe privée"),
			)
		self.is_private = 1

	def garder_confidentiel(self) -> None:
		if not self.get(CHAMP_CONFIDENTIEL):
			if self.is_new() or not self.has_value_changed(CHAMP_CONFIDENTIEL):
				return
		elif not est_protege(self.attached_to_doctype):
			frappe.throw(
				_("Seule une pièce jointe d'un dossier peut être confidentielle."),
				exc=PieceJointeRefusee,
				title=_("Pièce jointe confidentielle"),
			)
		elif not self.has_value_changed(CHAMP_CONFIDENTIEL) and not self.has_value_changed(
			"attached_to_doctype"
		):
			return
		if not lit_le_confidentiel(self.attached_to_doctype):
			frappe.throw(
				_(
					"Seuls les rôles qui lisent la partie confidentielle du dossier peuvent marquer "
					"ou démarquer une pièce jointe comme confidentielle."
				),
				exc=PieceJointeRefusee,
				title=_("Pièce jointe confidentielle"),
			)

	def is_downloadable(self):
		return super().is_downloadable() and contenu_lisible(self.file_url)

	def unzip(self):
		# Frappe's unzip_file checks nothing: the archive's record decides, as for any change.
		self.check_permission("write")
		confidentiel = self.get(CHAMP_CONFIDENTIEL)
		fichiers = super().unzip()
		for fichier in fichiers:
			if confidentiel:
				fichier.db_set(CHAMP_CONFIDENTIEL, 1)
		return fichiers


def verifier_acces_au_fichier(file_url: str | None) -> None:
	"""A new row, or an Attach field, pointing to an existing private file: only for who may
	download one of its rows already."""
	if not file_url or not file_url.startswith("/private/files/") or frappe.session.user == "Administrator":
		return
	from frappe.core.doctype.file.utils import find_file_by_url

	if not find_file_by_url(file_url):
		frappe.throw(
			_("Vous n'avez pas accès au fichier {0}.").format(file_url),
			exc=PieceJointeRefusee,
			title=_("Pièce jointe"),
		)


def garder_champs_piece_jointe(doc, method=None) -> None:
	"""doc_events "*" validate: an Attach field of our records, set to a private file, names
	one the user may download (Frappe would attach that file to the record on save)."""
	if not est_protege(doc.doctype):
		return
	avant = None if doc.is_new() else doc.get_doc_before_save()
	for df in doc.meta.get("fields", {"fieldtype": ("in", ["Attach", "Attach Image"])}):
		valeur = doc.get(df.fieldname)
		if valeur and (avant is None or avant.get(df.fieldname) != valeur):
			verifier_acces_au_fichier(valeur)


def rendre_privees() -> None:
	"""The public attachments of our records become private (patch pieces_jointes_privees)."""
	for name in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": ("in", PROTECTED_DOCTYPES),
			"is_private": 0,
			"is_folder": 0,
			"file_url": ("like", "/files/%"),
		},
		pluck="name",
	):
		fichier = frappe.get_doc("File", name)
		fichier.is_private = 1
		try:
			fichier.save(ignore_permissions=True)
		except (FileNotFoundError, FileExistsError, OSError):
			# A file missing on disk, or a private one of the same name: left as it is, in the error log.
			fichier.log_error("Pièce jointe restée publique")
