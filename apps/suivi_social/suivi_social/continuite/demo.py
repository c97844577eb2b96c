"""Demo of continuity: at the CCAS de Démoville, Julie Petit is away this week and Karim Benali
covers her. Logged in as Karim, the demo shows her rappel and appointment announced in his bell,
her private report readable (she chose so), and the Accueil naming Karim for her file."""

import frappe
from frappe.utils import add_days, today

STRUCTURE = "CCAS de Démoville"
ABSENTE = "julie.petit@ccas-demo.fr"
REMPLACANT = "travailleur@ccas-demo.fr"


def creer_absence_de_demonstration(ensure) -> None:
	"""`ensure` is the demo's _ensure (creates once, remembers for clear_demo_data)."""
	filtres = {"structure": STRUCTURE, "nom_usage": "Roussel", "prenoms": "Marcel"}
	if frappe.db.exists("Beneficiaire", filtres):
		return
	dossier = ensure(
		"Beneficiaire",
		None,
		{
			"doctype": "Beneficiaire",
			**filtres,
			"civilite": "Monsieur",
			"date_naissance": "1956-09-21",
			"genre": "Homme",
			"commune": "Démoville",
			"code_postal": "69100",
			"telephone": "0478123456",
			"referents": [{"user": ABSENTE}],
		},
		filters=filtres,
	)
	type_accompagnement = frappe.db.get_value(
		"Type Accompagnement", {"structure": STRUCTURE, "actif": 1}, "name", order_by="nom asc"
	)
	accompagnement = ensure(
		"Accompagnement",
		None,
		{
			"doctype": "Accompagnement",
			"beneficiaire": dossier,
			"types_accompagnement": [{"type_accompagnement": type_accompagnement}],
			"date": add_days(today(), -20),
			"mode": "Entretien téléphonique",
			"statut": "En cours",
			"agent": ABSENTE,
		},
	)
	precedent = frappe.session.user
	frappe.set_user(ABSENTE)  # her report and her choice to share it are hers
	try:
		ensure(
			"Compte Rendu Prive",
			None,
			{
				"doctype": "Compte Rendu Prive",
				"accompagnement": accompagnement,
				"texte": "<p>M. Roussel hésite à demander l'APA : en reparler avec sa fille.</p>",
			},
		)
		ensure(
			"Absence",
			None,
			{
				"doctype": "Absence",
				"structure": STRUCTURE,
				"agent": ABSENTE,
				"du": add_days(today(), -2),
				"au": add_days(today(), 7),
				"remplacant": REMPLACANT,
				"partager_comptes_rendus": 1,
			},
		)
	finally:
		frappe.set_user(precedent)
	# Given to her during the absence: announced to Karim (continuite/notifications.py).
	ensure(
		"Accompagnement",
		None,
		{
			"doctype": "Accompagnement",
			"beneficiaire": dossier,
			"types_accompagnement": [{"type_accompagnement": type_accompagnement}],
			"date": add_days(today(), 3),
			"heure": "10:00:00",
			"mode": "Accueil physique sur rendez-vous",
			"statut": "Planifié",
			"agent": ABSENTE,
		},
	)
	ensure(
		"Rappel",
		None,
		{
			"doctype": "Rappel",
			"titre": "Relancer la caisse de retraite",
			"date_echeance": add_days(today(), 1),
			"assigne_a": ABSENTE,
			"beneficiaire": dossier,
			"structure": STRUCTURE,
		},
	)
