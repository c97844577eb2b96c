"""Demo of the access logs: who opened, printed or downloaded which file in the last days.

Logged in as the Responsable of Démoville, « Journal des consultations » (View Log) lists the
openings of Démoville's files, never the Val Fictif's one, and « Journal des accès » (Access Log)
the prints and downloads of Démoville's agents. The rows are written the way Frappe writes them
(Document.add_viewed, make_access_log), as each agent, then dated back over the last days."""

import frappe
from frappe.core.doctype.access_log.access_log import make_access_log
from frappe.utils import add_to_date, now_datetime

# (agent, structure, file's nom_usage, hours ago, what): « ouvert » = the form opened,
# « imprimé » = its PDF printed.
EVENEMENTS = [
	("travailleur@ccas-demo.fr", "CCAS de Démoville", "Lefèvre", 50, "ouvert"),
	("travailleur@ccas-demo.fr", "CCAS de Démoville", "Lefèvre", 49, "imprimé"),
	("accueil@ccas-demo.fr", "CCAS de Démoville", "Lefèvre", 26, "ouvert"),
	("julie.petit@ccas-demo.fr", "CCAS de Démoville", "Roussel", 30, "ouvert"),
	("responsable@ccas-demo.fr", "CCAS de Démoville", "Roussel", 5, "ouvert"),
	("travailleur@cias-valfictif.fr", "CIAS du Val Fictif", None, 3, "ouvert"),
]


def creer_journaux_de_demonstration() -> list[tuple[str, str]]:
	"""The rows created, (doctype, name), for the demo's registry; none if already there."""
	crees = []
	for agent, structure, nom_usage, heures, quoi in EVENEMENTS:
		filtres = {"structure": structure, **({"nom_usage": nom_usage} if nom_usage else {})}
		dossier = frappe.db.get_value("Beneficiaire", filtres, order_by="creation asc")
		if not dossier:
			continue
		quand = add_to_date(now_datetime(), hours=-heures)
		frappe.set_user(agent)
		try:
			if quoi == "ouvert":
				ligne = frappe.get_doc("Beneficiaire", dossier).add_viewed()
				crees.append(("View Log", ligne.name))
			else:
				make_access_log(doctype="Beneficiaire", document=dossier, file_type="PDF", method="Print")
				ligne = frappe.get_last_doc("Access Log", filters={"user": agent})
				crees.append(("Access Log", ligne.name))
		finally:
			frappe.set_user("Administrator")
		dates = {"creation": quand, "modified": quand}
		if ligne.doctype == "Access Log":
			dates["timestamp"] = quand
		frappe.db.set_value(ligne.doctype, ligne.name, dates, update_modified=False)
	return crees
