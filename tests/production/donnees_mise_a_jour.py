"""The site an upgrade starts from (tests/production/test_mise_a_jour.py).

`creer` runs on a site made by the previous released code (scripts/fixture_mise_a_jour.sh runs it
with that commit's app first on PYTHONPATH), as a CCAS would have it: a structure, its typologies,
files and accompaniments, and a manager's no-code customisations (a Custom Field and a Property
Setter, what « Personnaliser le formulaire » writes). `releve` reads the same things back; it uses
only what both versions have, so the test compares the two readings.
"""

import json

import frappe

STRUCTURE = "CCAS de Mise-à-Jour"
CHAMP_PERSONNALISE = "Beneficiaire-numero_caf_local"


def creer() -> None:
	frappe.set_user("Administrator")
	if frappe.db.exists("Structure", STRUCTURE):
		return
	frappe.get_doc(
		{
			"doctype": "Structure",
			"raison_sociale": STRUCTURE,
			"type_structure": "CCAS",
			"prefixe_dossier": "MAJ",
		}
	).insert()
	type_aide = frappe.get_doc(
		{
			"doctype": "Type Accompagnement",
			"nom": "Aide alimentaire",
			"structure": STRUCTURE,
			"categorie": "Facultatif",
		}
	).insert()
	for nom, prenom in (("Martin", "Louise"), ("Bernard", "Hugo"), ("Petit", "Chloé")):
		beneficiaire = frappe.get_doc(
			{
				"doctype": "Beneficiaire",
				"structure": STRUCTURE,
				"statut": "Actif",
				"nom_usage": nom,
				"prenoms": prenom,
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": beneficiaire.name,
				"structure": STRUCTURE,
				"types_accompagnement": [{"type_accompagnement": type_aide.name}],
				"date": "2026-03-02",
				"mode": "Entretien téléphonique",
				"agent": "Administrator",
				"statut": "Terminé",
			}
		).insert()
	# A manager's customisations, as « Personnaliser le formulaire » saves them.
	frappe.get_doc(
		{
			"doctype": "Custom Field",
			"dt": "Beneficiaire",
			"fieldname": "numero_caf_local",
			"label": "Numéro CAF (local)",
			"fieldtype": "Data",
			"insert_after": "prenoms",
		}
	).insert()
	frappe.make_property_setter(
		{
			"doctype": "Beneficiaire",
			"fieldname": "nom_usage",
			"property": "label",
			"value": "Nom (usage)",
			"property_type": "Data",
		}
	)
	frappe.db.set_value(
		"Beneficiaire", {"nom_usage": "Martin", "structure": STRUCTURE}, "numero_caf_local", "CAF-0042"
	)
	frappe.db.commit()


def releve() -> str:
	"""What must survive the upgrade, in a stable order."""
	beneficiaires = frappe.get_all(
		"Beneficiaire",
		filters={"structure": STRUCTURE},
		fields=["name", "nom_usage", "prenoms", "statut", "numero_caf_local"],
		order_by="name",
	)
	accompagnements = frappe.get_all(
		"Accompagnement",
		filters={"structure": STRUCTURE},
		fields=["name", "beneficiaire", "date", "mode", "statut"],
		order_by="name",
	)
	champ = frappe.db.get_value(
		"Custom Field", CHAMP_PERSONNALISE, ["fieldtype", "label", "insert_after"], as_dict=True
	)
	libelle = frappe.db.get_value(
		"Property Setter",
		{"doc_type": "Beneficiaire", "field_name": "nom_usage", "property": "label"},
		"value",
	)
	return json.dumps(
		{
			"beneficiaires": beneficiaires,
			"accompagnements": accompagnements,
			"types": frappe.get_all("Type Accompagnement", filters={"structure": STRUCTURE}, pluck="nom"),
			"champ_personnalise": champ,
			"libelle_personnalise": libelle,
			"utilisateurs": sorted(frappe.get_all("User", pluck="name")),
		},
		default=str,
		ensure_ascii=False,
		indent=1,
		sort_keys=True,
	)


def main(site: str, creer_d_abord: bool = False) -> None:
	"""Prints the reading of SITE (run from sites/), after `creer` with --creer."""
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		if creer_d_abord:
			creer()
		print(releve())
	finally:
		frappe.destroy()


if __name__ == "__main__":
	import sys

	main(sys.argv[1], "--creer" in sys.argv[2:])
