"""Factories for test data: real users with real roles, structures, files."""

import frappe


def make_user(email: str, *roles: str, structures: tuple[str, ...] = ()) -> str:
	"""A desk user with exactly these roles, restricted to these structures (User Permission)."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
				"language": "fr",
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	# Saved only when the roles differ, so that concurrent test runs do not rewrite the same users.
	if {r.role for r in user.roles} != set(roles):
		user.set("roles", [])
		user.append_roles(*roles)
		user.flags.ignore_permissions = True
		user.save()
	for structure in structures:
		if not frappe.db.exists(
			"User Permission", {"user": email, "allow": "Structure", "for_value": structure}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": email, "allow": "Structure", "for_value": structure}
			).insert(ignore_permissions=True)
	return email


def make_structure(raison_sociale: str, prefixe: str, **values) -> str:
	if not frappe.db.exists("Structure", raison_sociale):
		frappe.get_doc(
			{"doctype": "Structure", "raison_sociale": raison_sociale, "prefixe_dossier": prefixe, **values}
		).insert(ignore_permissions=True)
	return raison_sociale


def make_type(structure: str, nom: str, aide_financiere: int = 0, actif: int = 1) -> str:
	if existing := frappe.db.get_value("Type Accompagnement", {"structure": structure, "nom": nom}):
		frappe.db.set_value("Type Accompagnement", existing, "actif", actif)
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Type Accompagnement",
				"structure": structure,
				"nom": nom,
				"aide_financiere": aide_financiere,
				"actif": actif,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def beneficiaire_values(structure: str, **values) -> dict:
	return {
		"doctype": "Beneficiaire",
		"structure": structure,
		"nom_usage": "Dupont",
		"prenoms": "Marie",
		"date_naissance": "1960-05-12",
		**values,
	}


def make_beneficiaire(structure: str, **values):
	values = beneficiaire_values(structure, **values)
	if existing := frappe.db.get_value(
		"Beneficiaire",
		{"structure": structure, "nom_usage": values["nom_usage"], "prenoms": values["prenoms"]},
	):
		return frappe.get_doc("Beneficiaire", existing)
	return frappe.get_doc(values).insert(ignore_permissions=True)


def make_accompagnement(beneficiaire: str, type_accompagnement: str, agent: str, **values):
	return frappe.get_doc(
		{
			"doctype": "Accompagnement",
			"beneficiaire": beneficiaire,
			"types_accompagnement": [{"type_accompagnement": type_accompagnement}],
			"date": "2026-01-15",
			"mode": "Entretien téléphonique",
			"agent": agent,
			**values,
		}
	).insert(ignore_permissions=True)


class Monde:
	"""Two structures, A and B, each with a user of every structure-bound role."""

	def __init__(self):
		from suivi_social.roles import AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL

		self.a = make_structure("CCAS Test A", "TA")
		self.b = make_structure("CCAS Test B", "TB")
		self.resp_a = make_user("resp-a@test.fr", RESPONSABLE, structures=(self.a,))
		self.ts_a = make_user("ts-a@test.fr", TRAVAILLEUR_SOCIAL, structures=(self.a,))
		self.ts_a2 = make_user("ts-a2@test.fr", TRAVAILLEUR_SOCIAL, structures=(self.a,))
		self.acc_a = make_user("acc-a@test.fr", AGENT_ACCUEIL, structures=(self.a,))
		self.resp_b = make_user("resp-b@test.fr", RESPONSABLE, structures=(self.b,))
		self.ts_b = make_user("ts-b@test.fr", TRAVAILLEUR_SOCIAL, structures=(self.b,))
		self.type_a = make_type(self.a, "Domiciliation")
		self.aide_a = make_type(self.a, "Aide d'urgence", aide_financiere=1)
		self.type_b = make_type(self.b, "Domiciliation")
		self.ben_a = make_beneficiaire(
			self.a,
			nom_usage="Martin",
			prenoms="Léa",
			numero_securite_sociale=nir("2600512345678"),
			genre="Femme",
			date_naissance="1960-05-12",
		)
		self.ben_b = make_beneficiaire(
			self.b, nom_usage="Bernard", prenoms="Jean", date_naissance="1970-01-01"
		)
		self.acc_ben_a = frappe.db.get_value("Accompagnement", {"beneficiaire": self.ben_a.name}) or (
			make_accompagnement(
				self.ben_a.name, self.aide_a, self.ts_a, compte_rendu="<p>Secret A</p>", montant_demande=300
			).name
		)
		self.acc_ben_b = frappe.db.get_value("Accompagnement", {"beneficiaire": self.ben_b.name}) or (
			make_accompagnement(self.ben_b.name, self.type_b, self.ts_b, compte_rendu="<p>Secret B</p>").name
		)


def nir(premiers_13: str) -> str:
	"""A NIR with its computed key."""
	return f"{premiers_13}{97 - int(premiers_13) % 97:02d}"


def jeton_api(user: str) -> str:
	"""An « Authorization: token key:secret » header for this user (committed: the key is reused
	by later runs, and each request runs in its own connection)."""
	from frappe.utils.password import get_decrypted_password

	doc = frappe.get_doc("User", user)
	secret = doc.api_key and get_decrypted_password("User", user, "api_secret", raise_exception=False)
	if not secret:
		doc.api_key = doc.api_key or frappe.generate_hash(length=15)
		secret = frappe.generate_hash(length=15)
		doc.api_secret = secret
		doc.flags.ignore_permissions = True
		doc.save()
		frappe.db.commit()
	return f"token {doc.api_key}:{secret}"
