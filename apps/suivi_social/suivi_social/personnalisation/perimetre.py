"""What a manager may customise: the app's own DocTypes; and who is exempt: the site's System Manager."""

import frappe
from frappe import _

from suivi_social.exceptions import PersonnalisationRefusee
from suivi_social.permissions.structure import porte_une_structure

APP = "suivi_social"


def gestionnaire_du_site(user: str | None = None) -> bool:
	"""Administrator and System Managers keep every power of Frappe's no-code tools."""
	user = user or frappe.session.user
	return user == "Administrator" or "System Manager" in frappe.get_roles(user)


def doctypes_de_l_application() -> set[str]:
	"""The DocTypes of the app's modules (modules.txt), read from the database: a module added by
	an update is covered as soon as it is migrated. Cached for the request."""
	if getattr(frappe.local, "suivi_doctypes_de_l_application", None) is None:
		modules = frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")
		frappe.local.suivi_doctypes_de_l_application = set(
			frappe.get_all("DocType", filters={"module": ("in", modules or [""]), "custom": 0}, pluck="name")
		)
	return frappe.local.suivi_doctypes_de_l_application


def est_de_l_application(doctype: str | None) -> bool:
	return bool(doctype) and doctype in doctypes_de_l_application()


def refuser(message: str) -> None:
	frappe.throw(message, PersonnalisationRefusee, title=_("Personnalisation refusée"))


def exiger_doctype_de_l_application(doctype: str | None, quoi: str) -> None:
	"""Refuse, for a non-System-Manager, a customisation (`quoi`) of a DocType outside the app."""
	if gestionnaire_du_site() or est_de_l_application(doctype):
		return
	refuser(
		_(
			"{0} : seuls les types de document de Suivi social (Bénéficiaire, Accompagnement, Rappel…) "
			"peuvent être personnalisés, pas « {1} »."
		).format(quoi, _(doctype or ""))
	)


def structure_du_document(doc) -> str | None:
	"""The structure a record belongs to: its `structure` field, its own name for a Structure, its
	parent's for a child row; None when it has none."""
	if doc.meta.istable:
		return structure_de(doc.get("parenttype"), doc.get("parent"))
	if doc.doctype == "Structure":
		return doc.name
	return doc.get("structure") if porte_une_structure(doc.doctype) else None


def structure_de(doctype: str | None, name: str | None) -> str | None:
	if not (doctype and name):
		return None
	if doctype == "Structure":
		return name
	return frappe.db.get_value(doctype, name, "structure") if porte_une_structure(doctype) else None
