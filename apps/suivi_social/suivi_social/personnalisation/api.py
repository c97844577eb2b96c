"""What Customize Form asks the server, for a non-System-Manager (personnalisation/)."""

import frappe
from frappe import _
from frappe.utils import flt

from suivi_social.personnalisation.perimetre import (
	doctypes_de_l_application,
	est_de_l_application,
	gestionnaire_du_site,
)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def doctypes_personnalisables(
	doctype: str, txt: str, searchfield: str | None, start: int, page_len: int, filters: dict | None
):
	"""Link query: the app's DocTypes (not Singles), searched by name or French label. Frappe's own
	list offers every DocType, which the server then refuses (personnalisation/perimetre.py)."""
	texte = (txt or "").lower()
	lignes = [
		(nom, _(nom))
		for nom in sorted(doctypes_de_l_application(), key=lambda n: _(n))
		if not frappe.get_meta(nom).issingle and (texte in nom.lower() or texte in _(nom).lower())
	]
	return lignes[start : start + page_len]


@frappe.whitelist()
def get_row_size_utilization(doctype: str) -> float:
	"""How full the table's rows are, shown by Customize Form's form builder. Frappe asks for the
	read right on DocType, which only a System Manager has: a user who may customise the app's
	DocTypes (Customize Form) gets their figure too."""
	from frappe.core.doctype.doctype import doctype as frappe_doctype

	if gestionnaire_du_site() or not frappe.has_permission("Customize Form", "write"):
		return frappe_doctype.get_row_size_utilization(doctype)
	if not est_de_l_application(doctype):
		# Asked before a DocType is chosen (for "Customize Form" itself): nothing to show.
		return 0.0
	try:
		return flt(frappe.db.get_row_size(doctype) / frappe.db.MAX_ROW_SIZE_LIMIT * 100, 2)
	except Exception:
		return 0.0
