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
		"siret": "21690123400019",
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
	frappe.db.commit()


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
