"""« Fusionner deux dossiers », called from the Bénéficiaire form."""

import frappe
from frappe import _

from suivi_social.dossiers import fusion
from suivi_social.exceptions import DonneeInvalide


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


@frappe.whitelist()
def apercu(garde: str, absorbe: str) -> dict:
	"""What the merge would do, for the confirmation: both files, and what moves to the kept one."""
	dossiers, docs = {}, []
	for role, name in (("garde", garde), ("absorbe", absorbe)):
		doc = frappe.get_doc("Beneficiaire", name)
		doc.check_permission("read")
		docs.append(doc)
		dossiers[role] = {
			"name": doc.name,
			"nom_complet": doc.nom_complet,
			"date_naissance": doc.date_naissance,
			"structure": doc.structure,
		}
	if garde == absorbe or dossiers["garde"]["structure"] != dossiers["absorbe"]["structure"]:
		frappe.throw(_("Choisissez deux dossiers différents de la même structure."), DonneeInvalide)
	refus = fusion.refus_de_fusion(*docs)
	return {
		**dossiers,
		"peut_fusionner": refus is None,
		"refus": refus[0] if refus else None,
		# Counted whatever the reader may open of them: all of them move.
		"accompagnements": frappe.db.count("Accompagnement", {"beneficiaire": absorbe}),
		"rappels": frappe.db.count("Rappel", {"beneficiaire": absorbe}),
		"documents": frappe.db.count(
			"File", {"attached_to_doctype": "Beneficiaire", "attached_to_name": absorbe}
		),
	}
