"""The catalogue of typologies the app ships, and its copy into a structure.

The catalogue (Modele Type Accompagnement) belongs to the app; each structure works on its own
copy (Type Accompagnement), which its manager renames, completes or deactivates freely."""

import frappe

# (nom, famille, catégorie, aide financière)
CATALOGUE = [
	("Domiciliation", "Domiciliation", "Légal", 0),
	("Aide sociale légale : hébergement en EHPAD", "Aide sociale légale", "Légal", 0),
	("Aide sociale légale : aide ménagère", "Aide sociale légale", "Légal", 0),
	("Aide sociale légale : obligation alimentaire", "Aide sociale légale", "Légal", 0),
	("Entrée en établissement", "Aide sociale légale", "Légal", 0),
	("RSA", "Accès aux droits légaux", "Légal", 0),
	("APA", "Accès aux droits légaux", "Légal", 0),
	("ASPA", "Accès aux droits légaux", "Légal", 0),
	("Complémentaire santé solidaire (CSS)", "Accès aux droits légaux", "Légal", 0),
	("AME", "Accès aux droits légaux", "Légal", 0),
	("PUMA", "Accès aux droits légaux", "Légal", 0),
	("Aide financière d'urgence : alimentaire", "Aides financières d'urgence", "Facultatif", 1),
	("Aide financière d'urgence : énergie", "Aides financières d'urgence", "Facultatif", 1),
	("Aide financière d'urgence : loyer", "Aides financières d'urgence", "Facultatif", 1),
	("Aide financière d'urgence : autre", "Aides financières d'urgence", "Facultatif", 1),
	("Aide alimentaire", "Aide alimentaire", "Facultatif", 0),
	("Accompagnement social", "Accompagnement social", "Facultatif", 0),
	("Visites de convivialité", "Lien social", "Facultatif", 0),
	("Aide au permis", "Mobilité", "Facultatif", 1),
	("Logement d'urgence", "Logement", "Facultatif", 0),
	("Accès aux droits / inclusion numérique", "Accès aux droits", "Facultatif", 0),
]


def seed_catalogue() -> None:
	"""Create the catalogue entries that are missing (idempotent; never overwrites an edit)."""
	for nom, famille, categorie, aide_financiere in CATALOGUE:
		if not frappe.db.exists("Modele Type Accompagnement", nom):
			frappe.get_doc(
				{
					"doctype": "Modele Type Accompagnement",
					"nom": nom,
					"famille": famille,
					"categorie": categorie,
					"aide_financiere": aide_financiere,
				}
			).insert(ignore_permissions=True)


def copier_catalogue(structure: str) -> int:
	"""Copy every catalogue entry the structure does not have yet; returns how many were created.

	Runs with the caller's permissions: only someone who may create typologies in that structure
	(its Responsable, or the platform administrator) gets them."""
	existing = set(frappe.get_all("Type Accompagnement", filters={"structure": structure}, pluck="nom"))
	created = 0
	for modele in frappe.get_all(
		"Modele Type Accompagnement",
		fields=["name", "nom", "famille", "categorie", "aide_financiere", "description"],
	):
		if modele.nom in existing:
			continue
		frappe.get_doc(
			{
				"doctype": "Type Accompagnement",
				"structure": structure,
				"nom": modele.nom,
				"famille": modele.famille,
				"categorie": modele.categorie,
				"aide_financiere": modele.aide_financiere,
				"description": modele.description,
				"modele": modele.name,
			}
		).insert()
		created += 1
	return created
