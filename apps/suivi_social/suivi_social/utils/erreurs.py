"""French error messages that name the field (and the row, in a child table)."""

import frappe
from frappe import _

from suivi_social.exceptions import DonneeInvalide
from suivi_social.utils.identite import IdentiteInvalide


def libelle(doc, fieldname: str) -> str:
	"""The translated label of a field, prefixed by its table and row for a child row."""
	label = _(doc.meta.get_label(fieldname))
	if doc.get("parentfield") and doc.get("idx"):
		parent_meta = frappe.get_meta(doc.parenttype)
		table = _(parent_meta.get_label(doc.parentfield))
		return _("{0}, ligne {1} : {2}").format(table, doc.idx, label)
	return label


def refuser(doc, fieldname: str, message: str, exc: type[Exception] = DonneeInvalide) -> None:
	frappe.throw(_("{0} : {1}").format(libelle(doc, fieldname), message), exc=exc, title=_("Donnée invalide"))


def normaliser(doc, fieldname: str, normalise, *args) -> None:
	"""Replace a field's value by its normalised form, or refuse it with the validator's message."""
	value = doc.get(fieldname)
	if not value:
		return
	try:
		doc.set(fieldname, normalise(value, *args))
	except IdentiteInvalide as error:
		refuser(doc, fieldname, _(str(error)))
