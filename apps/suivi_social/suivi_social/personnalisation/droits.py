"""The rights of the Responsable de structure on Frappe's no-code DocTypes, given on every migrate.

Frappe lets only System Manager (and Dashboard Manager, Report Manager) create these objects. The
role gets exactly the DocType permissions it needs, as Custom DocPerm rows (what Role Permission
Manager writes: frappe.permissions.add_permission copies the DocType's standard rows first, so the
System Manager keeps theirs). Rights are only ever added: a System Manager may grant more, and the
seed will not take them back. Report Builder reports need no right: Frappe's save_report lets any
user with report access save one (personnalisation/gardes.py checks it).

Note: once a DocType has Custom DocPerm rows, Frappe ignores its standard rows; a Frappe upgrade
that changes the standard permissions of these DocTypes is not applied to them (FRAPPE-NOTES §12)."""

import frappe
from frappe.permissions import add_permission, update_permission_property

from suivi_social.roles import RESPONSABLE

DROITS = {
	"Customize Form": ("read", "write", "create"),
	"Custom Field": ("read", "write", "create", "delete"),
	"Property Setter": ("read", "write", "create", "delete"),
	"Print Format": ("read", "write", "create", "delete"),
	"Notification": ("read", "write", "create", "delete"),
	"Dashboard Chart": ("read", "write", "create", "delete"),
	"Number Card": ("read", "write", "create", "delete"),
	"List View Settings": ("read", "write", "create", "delete"),
}

# Desk pages the role opens: the Print Format Builder (old and new) are System Manager pages.
PAGES = ("print-format-builder", "print-format-builder-beta")

# A Notification belongs to a structure: it sends only that structure's documents
# (personnalisation/notification.py), and the structure's User Permissions decide who sees it.
CHAMPS = {
	"Notification": [
		{
			"fieldname": "structure",
			"label": "Structure",
			"fieldtype": "Link",
			"options": "Structure",
			"insert_after": "document_type",
			"description": "Seuls les documents de cette structure déclenchent la notification.",
		}
	]
}


def accorder() -> None:
	"""Idempotent: run after install and after every migrate (install.seed)."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	for doctype, droits in DROITS.items():
		regle = {"parent": doctype, "role": RESPONSABLE, "permlevel": 0, "if_owner": 0}
		if not frappe.db.exists("Custom DocPerm", regle):
			add_permission(doctype, RESPONSABLE, 0, droits[0])
		actuels = frappe.db.get_value("Custom DocPerm", regle, list(droits), as_dict=True)
		manquants = [droit for droit in droits if not actuels.get(droit)]
		for droit in manquants:
			update_permission_property(doctype, RESPONSABLE, 0, droit, 1, validate=False)
		if manquants:
			frappe.clear_cache(doctype=doctype)
	ouvrir_les_pages()
	create_custom_fields(CHAMPS, update=True)


def ouvrir_les_pages() -> None:
	"""Custom Role adds roles to a standard Page without editing it (a migrate would reset it)."""
	for page in PAGES:
		if not frappe.db.exists("Page", page):
			continue
		nom = frappe.db.get_value("Custom Role", {"page": page})
		doc = (
			frappe.get_doc("Custom Role", nom)
			if nom
			else frappe.get_doc({"doctype": "Custom Role", "page": page})
		)
		roles = {r.role for r in doc.roles}
		for role in ("System Manager", RESPONSABLE):
			if role not in roles:
				doc.append("roles", {"role": role})
		if doc.is_new() or len(doc.roles) != len(roles):
			doc.save(ignore_permissions=True)
