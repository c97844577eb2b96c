"""« Fusionner deux dossiers », called from the Bénéficiaire form."""

import frappe

from suivi_social.dossiers import fusion


@frappe.whitelist()
def candidats(beneficiaire: str) -> list[dict]:
	"""Files of the same structure that may be the same person (certain or probable)."""
	frappe.get_doc("Beneficiaire", beneficiaire).check_permission("read")
	return [
		c for c in fusion.candidats(beneficiaire) if frappe.has_permission("Beneficiaire", "read", c["name"])
	]


@frappe.whitelist(methods=["POST"])
def fusionner(garde: str, absorbe: str) -> str:
	"""Merge `absorbe` into `garde` (the permissions are checked by fusion.fusionner)."""
	return fusion.fusionner(garde, absorbe)
