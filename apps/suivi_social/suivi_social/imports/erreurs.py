"""French messages of the import: who may import, and the text of a refused document."""

import re

import frappe
from frappe import _

from suivi_social.roles import ADMINISTRATEUR, RESPONSABLE

ROLES_IMPORT = (ADMINISTRATEUR, RESPONSABLE)


class ImportImpossible(frappe.ValidationError):
	"""The workbook cannot be imported as it is (unreadable file, no usable sheet…)."""


def peut_importer(structure: str | None, user: str | None = None) -> bool:
	"""Only the platform administrator and a Responsable de structure may import, a Responsable
	only into a structure of their own."""
	from suivi_social.permissions.structure import may_access

	user = user or frappe.session.user
	if user == "Administrator":
		return True
	roles = set(frappe.get_roles(user))
	if not roles & set(ROLES_IMPORT) and "System Manager" not in roles:
		return False
	return bool(structure) and may_access(structure, user)


def verifier_peut_importer(structure: str | None, user: str | None = None) -> None:
	if not peut_importer(structure, user):
		frappe.throw(
			_(
				"Seuls l'administrateur de Suivi social et le responsable de la structure peuvent importer "
				"des classeurs dans la structure « {0} »."
			).format(structure or ""),
			frappe.PermissionError,
			title=_("Import non autorisé"),
		)


def message_de(erreur: Exception) -> str:
	"""The French sentence of a refused document, without HTML, and out of the message log."""
	texte = str(erreur) or erreur.__class__.__name__
	log = getattr(frappe.local, "message_log", None)
	if log:
		frappe.clear_last_message()
	return " ".join(re.sub(r"<[^>]+>", "", texte).split())
