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
	# Away this week, covered by Karim Benali (continuite/demo.py).
	("julie.petit@ccas-demo.fr", "Julie", "Petit", TRAVAILLEUR_SOCIAL, ["CCAS de Démoville"]),
]


def create_demo_data() -> None:
	frappe.set_user("Administrator")
	# The registry is written once at the end: each frappe.db.set_default of a site-wide default
	# clears the whole site cache (frappe/defaults.py _clear_cache), metas included, which made
	# every following insert reload them (about a second per record).
	frappe.flags.demo_a_enregistrer = []
	try:
		_creer_donnees()
	finally:
		a_enregistrer, frappe.flags.demo_a_enregistrer = frappe.flags.demo_a_enregistrer, None
		if a_enregistrer:
			frappe.db.set_default(REGISTRY_KEY, json.dumps(_registry() + a_enregistrer))
	frappe.db.commit()


def _creer_donnees() -> None:
	for values in STRUCTURES:
		_ensure("Structure", values["raison_sociale"], {"doctype": "Structure", **values})
	for email, first_name, last_name, role, structures in USERS:
		_ensure_user(email, first_name, last_name, role, structures)
	for values in STRUCTURES:
		_ensure_typologies(values["raison_sociale"])
	for structure, referent, personne, accompagnements in DOSSIERS:
		_ensure_dossier(structure, referent, personne, accompagnements)
	_ensure_activite_de_l_annee()
	_ensure_message_de_l_accueil()
	_ensure_statistiques_sur_deux_ans()
	_ensure_rendez_vous_de_la_quinzaine()
	_ensure_rappels_des_agents()
	_ensure_import()
	_ensure_absence()
	_ensure_conservation()
	_ensure_journaux()
	_ensure_pieces_jointes()
	_ensure_trois_ans_d_activite()
	_ensure_effacement_rgpd()
	_ensure_double_authentification()


# --- Three years of a CCAS, written in bulk (demo/volume.py) -----------------------------------
#
# About 280 generated files with their accompaniments, appointments and rappels: remembered as one
# entry of the registry (LOT, its key), their names kept under that key, deleted together.

LOT = "Lot de démonstration"
VOLUME_KEY = "suivi_social_demo_volume"


def _ensure_trois_ans_d_activite() -> None:
	from suivi_social.demo import volume

	if frappe.db.get_default(VOLUME_KEY):
		return
	frappe.db.set_default(VOLUME_KEY, json.dumps(volume.creer()))
	_remember(LOT, VOLUME_KEY)


def _ensure_effacement_rgpd() -> None:
	"""A file erased at the person's request by the Responsable (rgpd/demo.py). Once only."""
	from suivi_social.rgpd.demo import effacer_un_dossier_de_demonstration

	if any(doctype == "Effacement RGPD" for doctype, _name in _registry()):
		return
	if effacement := effacer_un_dossier_de_demonstration():
		_remember("Effacement RGPD", effacement)


# The demo's Responsable and Administrateur log in with a code (durcissement.py): the key of their
# authenticator app is fixed and given in the README, since the demo site sends no e-mail.
CLE_DOUBLE_AUTHENTIFICATION = "SUIVISOCIALDEMO2"


def _ensure_double_authentification() -> None:
	from frappe import twofactor
	from frappe.utils.password import encrypt

	for email, *_ in USERS:
		if not frappe.db.exists("User", email) or twofactor.get_default(email + "_otplogin"):
			continue
		if twofactor.two_factor_is_enabled_for_(email):
			twofactor.set_default(email + "_otpsecret", encrypt(CLE_DOUBLE_AUTHENTIFICATION))
			# As if the QR code had been scanned: the login page asks for the code directly.
			twofactor.set_default(email + "_otplogin", 1)


# Attachments of Hélène Lefèvre's file: one read by every agent of the CCAS, one « confidentiel »
# that the reception (Sophie Lambert) neither lists nor downloads (permissions/pieces_jointes.py).
PIECES_JOINTES = [
	("justificatif-domicile.txt", "Facture d'électricité de mars : 12 rue des Lilas, Démoville.", 0),
	("certificat-medical.txt", "Certificat médical : reconnaissance de handicap en cours (MDPH).", 1),
]


def _ensure_pieces_jointes() -> None:
	dossier = frappe.db.get_value(
		"Beneficiaire", {"structure": "CCAS de Démoville", "nom_usage": "Lefèvre", "prenoms": "Hélène"}
	)
	if not dossier:
		return
	for nom, contenu, confidentiel in PIECES_JOINTES:
		attache = {"attached_to_doctype": "Beneficiaire", "attached_to_name": dossier}
		_ensure(
			"File",
			None,
			{
				"doctype": "File",
				"file_name": nom,
				"content": contenu,
				"confidentiel": confidentiel,
				**attache,
			},
			filters={**attache, "file_name": ("like", nom.replace(".txt", "%"))},
		)


def _ensure_journaux() -> None:
	"""Who opened, printed which file these last days (demo/journaux.py). Once only."""
	from suivi_social.demo.journaux import creer_journaux_de_demonstration

	if any(doctype == "View Log" for doctype, _name in _registry()):
		return
	for doctype, name in creer_journaux_de_demonstration():
		_remember(doctype, name)


def _ensure_absence() -> None:
	"""An agent away this week and the colleague who covers her (continuite/demo.py)."""
	from suivi_social.continuite.demo import creer_absence_de_demonstration

	creer_absence_de_demonstration(_ensure)


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
			# Found at the reception by her birth name too, with or without accents (accueil/recherche.py).
			"nom_naissance": "Lévêque",
			"prenoms": "Hélène",
			"date_naissance": "1948-03-02",
			"genre": "Femme",
			"telephone": "0612345678",
			# She agreed to a text the day before each appointment (dossiers/rendez_vous.py).
			"consentement_rappel_sms": 1,
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
			# The appointment the Accueil page shows (accueil/), with its place and object.
			(
				"Accompagnement social",
				2,
				"Accueil physique sur rendez-vous",
				"Planifié",
				{
					"heure": "10:00:00",
					"lieu": "Bureau 2, rez-de-chaussée",
					"objet": "Apporter les justificatifs de l'aide au permis",
				},
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
		if doctype == LOT:
			from suivi_social.demo import volume

			volume.effacer(json.loads(frappe.db.get_default(name) or "{}"))
			frappe.db.set_default(name, "")
		elif frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
			# Its comments (attachments added…): Frappe deletes them in a background job, which a
			# demo site built from the command line may never run.
			frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": name})
	frappe.db.set_default(REGISTRY_KEY, "[]")
	frappe.db.set_default(CONSERVATION_KEY, "")
	frappe.db.commit()


def _registry() -> list[list[str]]:
	return json.loads(frappe.db.get_default(REGISTRY_KEY) or "[]") + (frappe.flags.demo_a_enregistrer or [])


def _remember(doctype: str, name: str) -> None:
	if frappe.flags.demo_a_enregistrer is not None:
		frappe.flags.demo_a_enregistrer.append([doctype, name])
		return
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


# --- A year of activity, for the workspace's figures (dossiers/tableau_de_bord.py) -------------
#
# At the CCAS de Démoville: files of every age, genre, situation and commune (some left blank, shown
# « Non renseigné »), an archived one, accompaniments month by month over the last year in several
# typologies, aids granted this year and rappels past due. Fictitious people; every date is relative
# to the day the demo is created. Created once (with the files), removed by clear_demo_data.

# (nom, prénoms, âge, genre, commune, situation familiale, statut du dossier)
DOSSIERS_DE_L_ANNEE = [
	("Aubry", "Léna", 22, "Femme", "Démoville", "Célibataire", "Actif"),
	("Baptiste", "Yanis", 31, "Homme", "Démoville", "En concubinage", "Actif"),
	("Carpentier", "Nadia", 38, "Femme", "Villeneuve-sur-Démo", "Divorcé(e)", "Actif"),
	("Dumont", "Gérard", 67, "Homme", "Démoville", "Veuf ou veuve", "Actif"),
	("Estève", "Claire", 45, "Femme", "Saint-Fictif", "Marié(e)", "Actif"),
	("Fabre", "Mamadou", 29, "Homme", "", "Célibataire", "Actif"),
	("Giraud", "Odette", 82, "Femme", "Démoville", "Veuf ou veuve", "Actif"),
	("Hoarau", "Kevin", 19, "Homme", "Villeneuve-sur-Démo", "", "Actif"),
	("Ibert", "Samia", 52, "Femme", "Démoville", "Séparé(e)", "Actif"),
	("Jacquet", "Paul", 58, "", "Saint-Fictif", "Pacsé(e)", "Actif"),
	("Klein", "Aïcha", 34, "Femme", "Démoville", "Célibataire", "Actif"),
	("Lemoine", "Roger", 74, "Homme", "Démoville", "Marié(e)", "Archivé"),
]

# Typologies the accompaniments cycle through (the structure's copies of the catalogue).
TYPES_DE_L_ANNEE = [
	"Domiciliation",
	"Accompagnement social",
	"Aide alimentaire",
	"RSA",
	"Visites de convivialité",
	"Accès aux droits / inclusion numérique",
]


def _ensure_activite_de_l_annee() -> None:
	from frappe.utils import add_days, add_years, getdate, today

	structure, referent = "CCAS de Démoville", "travailleur@ccas-demo.fr"
	t = getdate(today())
	for i, (nom, prenoms, age, genre, commune, situation, statut) in enumerate(DOSSIERS_DE_L_ANNEE):
		# Two or three accompaniments a file, in different typologies.
		accompagnements = [
			(
				TYPES_DE_L_ANNEE[(i + k) % len(TYPES_DE_L_ANNEE)],
				_jours_avant(i, k),
				"Accueil physique spontané" if k % 2 else "Entretien téléphonique",
				"Terminé",
				{},
			)
			for k in range(2 + i % 2)
		]
		if i < 2:
			# Two aids granted this year (the « Aides accordées cette année » card).
			accompagnements.append(
				(
					"Aide financière d'urgence : alimentaire"
					if i == 0
					else "Aide financière d'urgence : énergie",
					0,
					"Accueil physique sur rendez-vous",
					"Terminé",
					{
						"heure": "10:00:00",
						"issue_rendez_vous": "Honoré",
						"instruction": "En interne",
						"decision": "Accordée" if i == 0 else "Accordée partiellement",
						"montant_demande": 150 if i == 0 else 400,
						"montant_accorde": 150 if i == 0 else 320.5,
						"date_decision": str(t),
					},
				)
			)
		_ensure_dossier(
			structure,
			referent,
			{
				"nom_usage": nom,
				"prenoms": prenoms,
				# `age` years old, born on some day of the year before.
				"date_naissance": str(add_days(add_years(t, -age), -((i * 37) % 300))),
				"genre": genre,
				"commune": commune,
				"situation_familiale": situation,
				"statut": statut,
			},
			accompagnements,
		)
	# Two rappels past due (the « Rappels en retard » card), on files of the year.
	for nom, jours, titre in (
		("Aubry", -3, "Relancer la CAF"),
		("Dumont", -8, "Renouveler la domiciliation"),
	):
		beneficiaire = frappe.db.get_value("Beneficiaire", {"structure": structure, "nom_usage": nom})
		_ensure(
			"Rappel",
			None,
			{
				"doctype": "Rappel",
				"titre": titre,
				"structure": structure,
				"beneficiaire": beneficiaire,
				"assigne_a": referent,
				"date_echeance": str(add_days(t, jours)),
				"statut": "À faire",
			},
			filters={"structure": structure, "beneficiaire": beneficiaire, "titre": titre},
		)


def _ensure_message_de_l_accueil() -> None:
	"""A message left at the Accueil page (accueil/api.py laisser_message) for the référent of
	Moussa N'Diaye, due today: in Karim Benali's rappels."""
	from frappe.utils import today

	structure = "CCAS de Démoville"
	beneficiaire = frappe.db.get_value(
		"Beneficiaire",
		{"structure": structure, "nom_usage": "N'Diaye", "prenoms": "Moussa"},
		["name", "nom_complet"],
	)
	if not beneficiaire:
		return
	titre = f"Message de l'accueil : {beneficiaire[1]}"
	_ensure(
		"Rappel",
		None,
		{
			"doctype": "Rappel",
			"titre": titre,
			"structure": structure,
			"beneficiaire": beneficiaire[0],
			"assigne_a": "travailleur@ccas-demo.fr",
			"date_echeance": today(),
			"statut": "À faire",
			"note": "M. N'Diaye a appelé : il ne pourra pas venir avant 10 h mardi, merci de le rappeler au 07 61 23 45 67.",
		},
		filters={"structure": structure, "beneficiaire": beneficiaire[0], "titre": titre},
	)


# Rappels of each demo agent, for « Mes rappels » (dossiers/rappels.py) and the morning mail
# (dossiers/rappels_du_matin.py): due today, later this week, late. (structure, agent's role, nom,
# prénoms, jours depuis aujourd'hui, titre, heure). With the two late ones of _ensure_activite_de_l_annee and
# the accueil's message, Karim Benali has 2 rappels today, 2 late and more this week.
RAPPELS_DES_AGENTS = [
	("Démoville", "travailleur", "Lefèvre", "Hélène", 0, "Confirmer la visite de convivialité", "10:00"),
	("Démoville", "travailleur", "N'Diaye", "Moussa", 2, "Relancer pour les justificatifs", None),
	("Démoville", "travailleur", "Klein", "Aïcha", 1, "Préparer le dossier FSL", None),
	("Démoville", "responsable", "Giraud", "Odette", 0, "Valider l'aide d'urgence en commission", "14:00"),
	("Démoville", "responsable", "Ibert", "Samia", -1, "Répondre au courrier du bailleur", None),
	("Val Fictif", "travailleur", "Garcia", "Ana", 0, "Appeler le 115 pour une place", "09:00"),
	("Val Fictif", "travailleur", "Garcia", "Ana", -2, "Envoyer la demande de logement", None),
]


def _ensure_rappels_des_agents() -> None:
	from frappe.utils import add_days, today

	structures = {"Démoville": "CCAS de Démoville", "Val Fictif": "CIAS du Val Fictif"}
	domaines = {"Démoville": "ccas-demo.fr", "Val Fictif": "cias-valfictif.fr"}
	for lieu, role, nom, prenoms, jours, titre, heure in RAPPELS_DES_AGENTS:
		structure, agent = structures[lieu], f"{role}@{domaines[lieu]}"
		beneficiaire = frappe.db.get_value(
			"Beneficiaire", {"structure": structure, "nom_usage": nom, "prenoms": prenoms}
		)
		if not beneficiaire:
			continue
		_ensure(
			"Rappel",
			None,
			{
				"doctype": "Rappel",
				"titre": titre,
				"structure": structure,
				"beneficiaire": beneficiaire,
				"assigne_a": agent,
				"date_echeance": str(add_days(today(), jours)),
				"heure_echeance": heure and f"{heure}:00",
				"statut": "À faire",
			},
			filters={"structure": structure, "beneficiaire": beneficiaire, "titre": titre},
		)


def _jours_avant(i: int, k: int) -> int:
	"""Days from today of the k-th accompaniment of the i-th file of the year: spread over the last
	twelve months, the first one of every third file today (« Accompagnements ce mois »)."""
	if k == 0 and i % 3 == 0:
		return 0
	return -((i * 31 + k * 120) % 360)


# --- Two years of appointments and aids, for the statistics reports (statistiques/) -------------
#
# At the CCAS de Démoville, followed by its travailleur social or its responsable: appointments
# honoured, missed, cancelled, past ones whose outcome is still to be recorded and one to come;
# aids requested, granted (some paid), refused or pending, over this year and the two before. The
# Rendez-vous, Aides financières and yearly reports have something to show for each year. Dates are
# relative to the day the demo is created; fictitious people; created once, removed by
# clear_demo_data.

RDV, VAD, TEL = "Accueil physique sur rendez-vous", "Visite à domicile", "Entretien téléphonique"

# (nom, prénoms, naissance, genre, commune, référent, [(typologie, jours, mode, statut, extra)])
# extra: issue, decision, amounts; "paye": days from the request to the payment.
DOSSIERS_DEUX_ANS = [
	(
		"Marchal",
		"Zoé",
		"1994-04-18",
		"Femme",
		"Démoville",
		"travailleur@ccas-demo.fr",
		[
			(
				"Aide financière d'urgence : loyer",
				-700,
				RDV,
				"Terminé",
				{
					"issue_rendez_vous": "Honoré",
					"decision": "Accordée",
					"montant_demande": 450,
					"montant_accorde": 450,
					"paye": 12,
				},
			),
			("Accompagnement social", -640, VAD, "Terminé", {"issue_rendez_vous": "Non honoré"}),
			(
				"Aide financière d'urgence : énergie",
				-320,
				RDV,
				"Terminé",
				{
					"issue_rendez_vous": "Honoré",
					"decision": "Accordée partiellement",
					"montant_demande": 300,
					"montant_accorde": 180,
					"paye": 9,
				},
			),
		],
	),
	(
		"Nguyen",
		"Thanh",
		"1969-09-02",
		"Homme",
		"Saint-Fictif",
		"responsable@ccas-demo.fr",
		[
			(
				"Aide financière d'urgence : alimentaire",
				-560,
				RDV,
				"Terminé",
				{
					"issue_rendez_vous": "Honoré",
					"decision": "Refusée",
					"montant_demande": 200,
					"motif_refus": "Ressources au-dessus du barème",
				},
			),
			("Accompagnement social", -410, RDV, "Annulé", {}),
			(
				"Aide financière d'urgence : alimentaire",
				-150,
				TEL,
				"Terminé",
				{"decision": "Accordée", "montant_demande": 120, "montant_accorde": 120, "paye": 5},
			),
			("Visites de convivialité", -20, VAD, "Planifié", {}),
		],
	),
	(
		"Ollivier",
		"Brigitte",
		"1951-12-24",
		"Femme",
		"Démoville",
		"travailleur@ccas-demo.fr",
		[
			("Aide sociale légale : aide ménagère", -480, VAD, "Terminé", {"issue_rendez_vous": "Honoré"}),
			(
				"Aide financière d'urgence : énergie",
				-430,
				VAD,
				"Terminé",
				{
					"issue_rendez_vous": "Honoré",
					"decision": "Accordée",
					"montant_demande": 350,
					"montant_accorde": 300,
					"paye": 20,
				},
			),
			("Visites de convivialité", -90, VAD, "Terminé", {"issue_rendez_vous": "Non honoré"}),
			("Visites de convivialité", 5, VAD, "Planifié", {}),
		],
	),
	(
		"Perrin",
		"Idriss",
		"2001-07-07",
		"Homme",
		"Villeneuve-sur-Démo",
		"responsable@ccas-demo.fr",
		[
			(
				"Aide au permis",
				-380,
				RDV,
				"Terminé",
				{
					"issue_rendez_vous": "Honoré",
					"decision": "Accordée",
					"montant_demande": 800,
					"montant_accorde": 600,
					"paye": 30,
				},
			),
			(
				"Aide financière d'urgence : autre",
				-45,
				RDV,
				"En cours",
				{"issue_rendez_vous": "Honoré", "decision": "En cours d'instruction", "montant_demande": 250},
			),
		],
	),
	(
		"Quentin",
		"Maëlys",
		"1988-02-29",
		"Femme",
		"",
		"travailleur@ccas-demo.fr",
		[
			("Domiciliation", -600, TEL, "Terminé", {}),
			(
				"Aide financière d'urgence : loyer",
				-200,
				RDV,
				"Terminé",
				{
					"issue_rendez_vous": "Honoré",
					"decision": "Refusée",
					"montant_demande": 900,
					"motif_refus": "Dette déjà prise en charge par le FSL",
				},
			),
			("Accompagnement social", -60, RDV, "Annulé", {}),
		],
	),
]


def _ensure_statistiques_sur_deux_ans() -> None:
	from frappe.utils import add_days, today

	structure = "CCAS de Démoville"
	for nom, prenoms, naissance, genre, commune, referent, lignes in DOSSIERS_DEUX_ANS:
		accompagnements = []
		for typologie, jours, mode, statut, extra in lignes:
			extra = dict(extra)
			paye = extra.pop("paye", None)
			if mode == RDV:
				extra["heure"] = "10:30:00"
			if extra.get("decision") and extra["decision"] not in (
				"En cours d'instruction",
				"En attente de justificatifs",
			):
				extra["date_decision"] = str(add_days(today(), jours + 7))
			if paye:
				extra.update(date_paiement=str(add_days(today(), jours + 7 + paye)), mode_paiement="Virement")
			accompagnements.append((typologie, jours, mode, statut, extra))
		_ensure_dossier(
			structure,
			referent,
			{
				"nom_usage": nom,
				"prenoms": prenoms,
				"date_naissance": naissance,
				"genre": genre,
				"commune": commune,
			},
			accompagnements,
		)


# --- The appointments of this week and the next, for the calendar (dossiers/rendez_vous.py) ------
#
# At the CCAS de Démoville for its travailleur social and its responsable, at the CIAS for its
# travailleur social: the days of this week already past carry their outcome (honoured or missed),
# the others are planned; Hélène Lefèvre, who agreed to a text reminder, comes tomorrow. A slot
# already taken in the agent's agenda moves one hour later. Creating twice changes nothing.

KARIM, CLAIRE, INES = "travailleur@ccas-demo.fr", "responsable@ccas-demo.fr", "travailleur@cias-valfictif.fr"
DEMAIN = "demain"

# (jour: days from this week's Monday or DEMAIN, heure, durée en minutes, agent, nom, typologie, mode, lieu)
RENDEZ_VOUS_DE_LA_QUINZAINE = [
	(0, "09:00", 45, KARIM, "Aubry", "Accompagnement social", RDV, "Bureau 2"),
	(1, "14:00", 60, KARIM, "Dumont", "Domiciliation", RDV, None),
	(2, "10:30", 60, CLAIRE, "Giraud", "Visites de convivialité", VAD, None),
	(3, "16:00", 30, KARIM, "Ibert", "RSA", TEL, None),
	(4, "09:30", 60, CLAIRE, "Klein", "Accompagnement social", RDV, None),
	(DEMAIN, "11:00", 45, KARIM, "Lefèvre", "Accompagnement social", RDV, None),
	(7, "09:00", 60, KARIM, "Baptiste", "RSA", RDV, "Bureau 2"),
	(7, "14:30", 45, CLAIRE, "Estève", "Accompagnement social", RDV, None),
	(8, "11:00", 60, KARIM, "Carpentier", "Accès aux droits / inclusion numérique", RDV, "Espace numérique"),
	(8, "09:30", 60, INES, "Garcia", "Logement d'urgence", RDV, None),
	(9, "15:00", 90, KARIM, "Giraud", "Visites de convivialité", VAD, None),
	(10, "10:00", 30, CLAIRE, "Fabre", "Domiciliation", RDV, None),
	(10, "14:00", 60, INES, "Garcia", "Logement d'urgence", VAD, None),
	(11, "14:00", 60, KARIM, "Hoarau", "Accompagnement social", RDV, "Mission locale, salle 3"),
]


def _ensure_rendez_vous_de_la_quinzaine() -> None:
	from datetime import timedelta

	from frappe.utils import add_days, get_datetime, getdate, today

	from suivi_social.dossiers.rendez_vous import chevauchement

	t = getdate(today())
	lundi = add_days(t, -t.weekday())
	for i, (jour, heure, duree, agent, nom, typologie, mode, lieu) in enumerate(RENDEZ_VOUS_DE_LA_QUINZAINE):
		jour = add_days(t, 1) if jour == DEMAIN else add_days(lundi, jour)
		structure = "CIAS du Val Fictif" if agent == INES else "CCAS de Démoville"
		beneficiaire = frappe.db.get_value("Beneficiaire", {"structure": structure, "nom_usage": nom})
		type_name = frappe.db.get_value("Type Accompagnement", {"structure": structure, "nom": typologie})
		deja = {"beneficiaire": beneficiaire, "agent": agent, "rendez_vous": 1, "date": jour}
		if not beneficiaire or not type_name or frappe.db.exists("Accompagnement", deja):
			continue
		for decalage in range(4):  # a taken slot moves one hour later
			debut = get_datetime(f"{jour} {heure}") + timedelta(hours=decalage)
			if not chevauchement(agent, debut, debut + timedelta(minutes=duree)):
				break
		else:
			continue
		passe = getdate(jour) < t
		_ensure(
			"Accompagnement",
			None,
			{
				"doctype": "Accompagnement",
				"beneficiaire": beneficiaire,
				"types_accompagnement": [{"type_accompagnement": type_name}],
				"date": str(jour),
				"heure": debut.strftime("%H:%M:%S"),
				"duree": duree,
				"mode": mode,
				"lieu": lieu,
				"agent": agent,
				"rendez_vous": 1,
				"statut": "Terminé" if passe else "Planifié",
				"issue_rendez_vous": ("Non honoré" if i % 3 == 2 else "Honoré") if passe else None,
			},
		)


# --- Retention (rgpd/conservation.py): old files for the dry run, and one run already done ------
#
# At the CCAS de Démoville: two files without contact for about two and a half years (« à
# archiver »), one archived more than three years ago (« à anonymiser »), and one that a past run
# anonymised (its audit entry in the structure's timeline). Automatic retention stays off on the
# demo site: the nightly job would otherwise empty the dry run. The legacy workbook's files (2023)
# show up too, as they would after a real import.

CONSERVATION_KEY = "suivi_social_demo_conservation"

# (nom, prénoms, naissance, genre, jours depuis le dernier contact, jours depuis l'archivage ou None)
DOSSIERS_ANCIENS = [
	("Poulain", "Armand", "1949-10-02", "Homme", 900, None),
	("Lacroix", "Josiane", "1961-03-27", "Femme", 820, None),
	("Texier", "Monique", "1940-07-14", "Femme", 2000, 1200),
	("Vasseur", "Gilbert", "1956-01-19", "Homme", 2400, 1500),
]


def _ensure_conservation() -> None:
	from frappe.utils import add_days, today

	from suivi_social.rgpd import conservation

	if frappe.db.get_default(CONSERVATION_KEY):
		return
	structure = "CCAS de Démoville"
	noms = []
	for i, (nom, prenoms, naissance, genre, jours, archive) in enumerate(DOSSIERS_ANCIENS):
		_ensure_dossier(
			structure,
			"travailleur@ccas-demo.fr",
			{
				"nom_usage": nom,
				"prenoms": prenoms,
				"date_naissance": naissance,
				"genre": genre,
				"commune": "Démoville",
				"telephone": f"06 11 22 33 4{i}",
			},
			[("Accompagnement social", -jours, TEL, "Terminé", {"objet": "Point sur la situation"})],
		)
		dossier = frappe.db.get_value(
			"Beneficiaire", {"structure": structure, "nom_usage": nom, "prenoms": prenoms}
		)
		# Opened long ago: the creation and the summary as a file of that time would have them.
		ouvert = add_days(today(), -jours - 30)
		frappe.db.sql("update tabBeneficiaire set creation = %s where name = %s", (ouvert, dossier))
		valeurs = {"dernier_contact": add_days(today(), -jours)}
		if archive:
			valeurs.update(statut="Archivé", date_archivage=add_days(today(), -archive))
		frappe.db.set_value("Beneficiaire", dossier, valeurs, update_modified=False)
		noms.append(dossier)
	# The run of an earlier night, on the oldest file.
	conservation.anonymiser(noms[-1])
	conservation._journaliser(
		frappe._dict(structure=structure, archives=[], anonymises=[noms[-1]], erreurs=[])
	)
	frappe.db.set_default(CONSERVATION_KEY, noms[-1])
