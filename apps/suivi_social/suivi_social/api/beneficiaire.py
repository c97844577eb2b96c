"""Checks the Bénéficiaire form calls before saving."""

import frappe

from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import trouver_doublons


@frappe.whitelist()
def doublons_probables(
	structure: str, nom_usage: str, prenoms: str, date_naissance: str, name: str | None = None
) -> list[dict]:
	"""Files of the structure that look like the same person (same server rule as the save)."""
	if not (structure and nom_usage and prenoms and date_naissance):
		return []
	if not frappe.has_permission("Structure", "read", structure):
		raise frappe.PermissionError
	return [
		{"name": d.name, "nom_complet": d.nom_complet}
		for d in trouver_doublons(structure, nom_usage, prenoms, date_naissance, exclure=name)
	]
