"""Demo of the right to erasure: at the CCAS de Démoville, a person asked for her file to be erased;
the Responsable, Claire Moreau, did it through the file's « Effacer définitivement » action
(rgpd/droits.py). The demo shows the audit entry (Effacement RGPD) with what was erased, and no
trace of the person."""

import frappe
from frappe.utils import add_days, today

STRUCTURE = "CCAS de Démoville"
RESPONSABLE = "responsable@ccas-demo.fr"
AGENT = "travailleur@ccas-demo.fr"


def effacer_un_dossier_de_demonstration() -> str | None:
	"""Create a file with an accompaniment and a rappel, and erase it as the Responsable. Returns the
	Effacement RGPD's name (None when the structure or its agents are missing)."""
	from suivi_social.rgpd.droits import effacer_dossier

	if not frappe.db.exists("User", RESPONSABLE) or not frappe.db.exists("Structure", STRUCTURE):
		return None
	typologie = frappe.db.get_value("Type Accompagnement", {"structure": STRUCTURE, "nom": "Domiciliation"})
	dossier = frappe.get_doc(
		{
			"doctype": "Beneficiaire",
			"structure": STRUCTURE,
			"civilite": "Madame",
			"nom_usage": "Effacée",
			"prenoms": "Personne",
			"date_naissance": "1979-05-04",
			"genre": "Femme",
			"commune": "Démoville",
			"telephone": "06 99 88 77 66",
			"referents": [{"user": AGENT}],
		}
	).insert(ignore_permissions=True)
	accompagnement = frappe.get_doc(
		{
			"doctype": "Accompagnement",
			"beneficiaire": dossier.name,
			"types_accompagnement": [{"type_accompagnement": typologie}],
			"date": add_days(today(), -200),
			"mode": "Accueil physique spontané",
			"statut": "Terminé",
			"agent": AGENT,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": "Renouveler la domiciliation",
			"structure": STRUCTURE,
			"beneficiaire": dossier.name,
			"accompagnement": accompagnement.name,
			"assigne_a": AGENT,
			"date_echeance": add_days(today(), 30),
		}
	).insert(ignore_permissions=True)
	precedent = frappe.session.user
	frappe.set_user(RESPONSABLE)  # the erasure is hers: her role, her structure, her name on the audit
	try:
		return effacer_dossier(STRUCTURE, dossier.name, confirmation=dossier.name)["effacement"]
	finally:
		frappe.set_user(precedent)
