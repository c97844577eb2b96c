"""Checks the Bénéficiaire form calls before saving."""

import frappe

from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import trouver_doublons


@frappe.whitelist()
def doublons_probables(
	structure: str,
	nom_usage: str,
	prenoms: str,
	date_naissance: str | None = None,
	name: str | None = None,
	nom_naissance: str | None = None,
	commune: str | None = None,
	telephone: str | None = None,
	telephone_2: str | None = None,
	adresse: str | None = None,
) -> list[dict]:
	"""Files of the structure that may be the same person, with the reason: the same matching, on
	the same values, as the save (Beneficiaire.validate_doublon) and the import."""
	if not (structure and nom_usage and prenoms):
		return []
	if not frappe.has_permission("Structure", "read", structure):
		raise frappe.PermissionError
	return [
		{"name": d.name, "nom_complet": d.nom_complet, "niveau": d.niveau, "raison": d.raison}
		for d in trouver_doublons(
			structure,
			nom_usage,
			prenoms,
			date_naissance,
			exclure=name,
			nom_naissance=nom_naissance,
			commune=commune,
			telephone=telephone,
			telephone_2=telephone_2,
			adresse=adresse,
		)
		if frappe.has_permission("Beneficiaire", "read", d.name)
	]
