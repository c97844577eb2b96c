"""Demo data for the demo site: two structures, one user per role, fictitious files.

Reversible (frappe/crm's demo): every record created is remembered, `clear_demo_data` deletes
them in reverse order. Creating twice changes nothing."""

import json

import frappe
from frappe.utils.password import update_password

from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL

DEMO_PASSWORD = "demo"
REGISTRY_KEY = "suivi_social_demo_records"

STRUCTURES = [
	{
		"raison_sociale": "CCAS de Démoville",
		"type_structure": "CCAS",
		"prefixe_dossier": "DEMO",
		"siret": "21690123400015",
		"adresse": "1 place de la Mairie",
		"code_postal": "69100",
		"commune": "Démoville",
		"telephone": "04 72 00 00 00",
		"email": "ccas@demoville.fr",
	},
	{
		"raison_sociale": "CIAS du Val Fictif",
		"type_structure": "CIAS",
		"prefixe_dossier": "VALF",
		"adresse": "12 rue des Tilleuls",
		"code_postal": "38200",
		"commune": "Fictif-le-Val",
	},
]

# (email, first name, last name, role, structures)
USERS = [
	("responsable@ccas-demo.fr", "Claire", "Moreau", RESPONSABLE, ["CCAS de Démoville"]),
	("travailleur@ccas-demo.fr", "Karim", "Benali", TRAVAILLEUR_SOCIAL, ["CCAS de Démoville"]),
	("accueil@ccas-demo.fr", "Sophie", "Lambert", AGENT_ACCUEIL, ["CCAS de Démoville"]),
	("admin-suivi@ccas-demo.fr", "Paul", "Girard", ADMINISTRATEUR, []),
	("travailleur@cias-valfictif.fr", "Inès", "Roux", TRAVAILLEUR_SOCIAL, ["CIAS du Val Fictif"]),
]


def create_demo_data() -> None:
	frappe.set_user("Administrator")
	for values in STRUCTURES:
		_ensure("Structure", values["raison_sociale"], {"doctype": "Structure", **values})
	for email, first_name, last_name, role, structures in USERS:
		_ensure_user(email, first_name, last_name, role, structures)
	for values in STRUCTURES:
		_ensure_typologies(values["raison_sociale"])
	for structure, referent, personne, accompagnements in DOSSIERS:
		_ensure_dossier(structure, referent, personne, accompagnements)
	_ensure_import()
	frappe.db.commit()


def _ensure_import() -> None:
	"""A past import of old workbooks by the Responsable of Démoville (imports/demo.py): the desk
	shows its report, its templates and the files it created. Once only."""
	from suivi_social.imports.demo import importer_classeur_de_demonstration

	for doctype, name in importer_classeur_de_demonstration():
		_remember(doctype, name)


# (structure, référent, identité, [(typologie, jours depuis aujourd'hui, mode, statut, extra)])
DOSSIERS = [
	(
		"CCAS de Démoville",
		"travailleur@ccas-demo.fr",
		{
			"civilite": "Madame",
			"nom_usage": "Lefèvre",
			"prenoms": "Hélène",
			"date_naissance": "1948-03-02",
			"genre": "Femme",
			"telephone": "0612345678",
			"commune": "Démoville",
			"code_postal": "69100",
			"mode_hebergement": "Locataire du parc social",
			"gir": "GIR 4",
		},
		[
			("Aide sociale légale : aide ménagère", -40, "Visite à domicile", "Terminé", {}),
			(
				"Aide financière d'urgence : énergie",
				-10,
				"Accueil physique sur rendez-vous",
				"En cours",
				{"montant_demande": 250, "decision": "En cours d'instruction", "instruction": "En interne"},
			),
			("Visites de convivialité", 7, "Visite à domicile", "Planifié", {"heure": "14:30:00"}),
		],
	),
	(
		"CCAS de Démoville",
		"travailleur@ccas-demo.fr",
		{
			"civilite": "Monsieur",
			"nom_usage": "N'Diaye",
			"prenoms": "Moussa",
			"date_naissance": "1985-11-20",
			"genre": "Homme",
			"telephone": "07 61 23 45 67",
			"commune": "Démoville",
			"code_postal": "69100",
			"mode_hebergement": "Hébergé(e) chez un tiers",
		},
		[
			("Domiciliation", -60, "Accueil physique spontané", "Terminé", {}),
			(
				"Aide au permis",
				-5,
				"Entretien téléphonique",
				"À traiter",
				{"montant_demande": 600, "decision": "En attente de justificatifs"},
			),
		],
	),
	(
		"CIAS du Val Fictif",
		"travailleur@cias-valfictif.fr",
		{
			"civilite": "Madame",
			"nom_usage": "Garcia",
			"prenoms": "Ana",
			"date_naissance": "1972-07-14",
			"genre": "Femme",
			"commune": "Fictif-le-Val",
			"code_postal": "38200",
		},
		[("Logement d'urgence", -2, "Accueil physique spontané", "En cours", {})],
	),
]


def _ensure_typologies(structure: str) -> None:
	from suivi_social.structures.catalogue import copier_catalogue

	# Only the missing entries are copied (a structure may already have some of its own).
	avant = set(frappe.get_all("Type Accompagnement", filters={"structure": structure}, pluck="name"))
	if copier_catalogue(structure):
		for name in frappe.get_all("Type Accompagnement", filters={"structure": structure}, pluck="name"):
			if name not in avant:
				_remember("Type Accompagnement", name)


def _ensure_dossier(structure: str, referent: str, personne: dict, accompagnements: list) -> None:
	from frappe.utils import add_days, today

	filters = {"structure": structure, "nom_usage": personne["nom_usage"], "prenoms": personne["prenoms"]}
	if frappe.db.exists("Beneficiaire", filters):
		return
	beneficiaire = _ensure(
		"Beneficiaire",
		None,
		{"doctype": "Beneficiaire", "structure": structure, "referents": [{"user": referent}], **personne},
		filters=filters,
	)
	for typologie, jours, mode, statut, extra in accompagnements:
		type_name = frappe.db.get_value("Type Accompagnement", {"structure": structure, "nom": typologie})
		_ensure(
			"Accompagnement",
			None,
			{
				"doctype": "Accompagnement",
				"beneficiaire": beneficiaire,
				"types_accompagnement": [{"type_accompagnement": type_name}],
				"date": add_days(today(), jours),
				"mode": mode,
				"statut": statut,
				"agent": referent,
				**extra,
			},
		)


def clear_demo_data() -> None:
	frappe.set_user("Administrator")
	for doctype, name in reversed(_registry()):
		if frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
	frappe.db.set_default(REGISTRY_KEY, "[]")
	frappe.db.commit()


def _registry() -> list[list[str]]:
	return json.loads(frappe.db.get_default(REGISTRY_KEY) or "[]")


def _remember(doctype: str, name: str) -> None:
	records = _registry()
	records.append([doctype, name])
	frappe.db.set_default(REGISTRY_KEY, json.dumps(records))


def _ensure(doctype: str, name: str | None, values: dict, filters: dict | None = None) -> str:
	existing = frappe.db.exists(doctype, filters or name) if (filters or name) else None
	if existing:
		return existing
	doc = frappe.get_doc(values).insert(ignore_permissions=True)
	_remember(doctype, doc.name)
	return doc.name


def _ensure_user(email: str, first_name: str, last_name: str, role: str, structures: list[str]) -> None:
	if not frappe.db.exists("User", email):
		user = frappe.new_doc("User")
		user.update(
			{
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"language": "fr",
				"send_welcome_email": 0,
				"default_workspace": "Suivi social",
			}
		)
		user.append_roles(role)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		update_password(email, DEMO_PASSWORD)
		_remember("User", email)
	for structure in structures:
		_ensure(
			"User Permission",
			None,
			{"doctype": "User Permission", "user": email, "allow": "Structure", "for_value": structure},
			filters={"user": email, "allow": "Structure", "for_value": structure},
		)
