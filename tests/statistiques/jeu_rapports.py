"""A small hand-built dataset for the statistics reports, in two structures of its own.

« Stats Nord » holds the figures the tests check (year 2025, with files followed before it and
accompaniments after it); « Stats Sud » holds what must never show up in Nord's figures. Built
once per session and committed (the HTTP tests read it from other connections): each session first
deletes what an earlier run left in these two structures, then builds it again.

Expected figures for Nord, 2025 (written out in the tests):
- counted as activity: a1–a8 and a12 (9 accompaniments, beneficiaries Alice, Bruno, Chloé,
  Damien); not counted: a9 and a13 (« Non honoré »), a10 (« Annulé »), a11 (« Planifié »);
- Bruno and Damien were accompanied before 2025 (déjà suivis), Alice and Chloé not (nouveaux);
  Émile only in 2024, Fanny only by appointments that did not take place, Gaston only in 2026.
"""

import frappe
import pytest
from frappe.utils.password import update_password

from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.factories import jeton_api, make_structure, make_type, make_user

NORD = "Stats Nord"
SUD = "Stats Sud"
DOMAINE = "stats.test"
MOT_DE_PASSE = "Stats-Rapports!2026-Qz7"

# key -> (e-mail, role, structures, first name, last name)
COMPTES = {
	"resp_n": (f"resp-nord@{DOMAINE}", RESPONSABLE, (NORD,), "Roseline", "Nordet"),
	"ts_n": (f"ts-nord@{DOMAINE}", TRAVAILLEUR_SOCIAL, (NORD,), "Nadia", "Lemoine"),
	"ts_n2": (f"ts2-nord@{DOMAINE}", TRAVAILLEUR_SOCIAL, (NORD,), "Olivier", "Brunet"),
	"acc_n": (f"accueil-nord@{DOMAINE}", AGENT_ACCUEIL, (NORD,), "Agathe", "Portier"),
	"resp_s": (f"resp-sud@{DOMAINE}", RESPONSABLE, (SUD,), "Simon", "Sudre"),
	"admin": (f"admin@{DOMAINE}", ADMINISTRATEUR, (), "Adèle", "Plateforme"),
}

# Every beneficiary's names: none may appear in the yearly report (anonymous).
# key -> (structure, identity)
PERSONNES = {
	"alice": (
		NORD,
		{
			"nom_usage": "Aubertin",
			"prenoms": "Alice",
			"date_naissance": "2003-06-01",  # 22 on 31/12/2025
			"genre": "Femme",
			"commune": "Démoville",
			"situation_familiale": "Célibataire",
			"mode_hebergement": "Locataire du parc social",
			"ressources": [
				{"nature": "RSA", "montant": 607.75},
				{"nature": "APL / aide au logement", "montant": 250},
			],
		},
	),
	"bruno": (
		NORD,
		{
			"nom_usage": "Berthelot",
			"prenoms": "Bruno",
			"date_naissance": "1990-12-31",  # 35 on 31/12/2025 (birthday that day)
			"genre": "Homme",
			"commune": "DEMOVILLE",  # the same commune, typed otherwise
			"situation_familiale": "Marié(e)",
			"mode_hebergement": "Propriétaire",
			"ressources": [{"nature": "Salaire", "montant": 1450}],
		},
	),
	"chloe": (
		NORD,
		{
			"nom_usage": "Chaumontel",
			"prenoms": "Chloé",
			"date_naissance": "1991-01-01",  # 34 on 31/12/2025
			"genre": "Femme",
			"commune": "Autreville",
		},
	),
	"damien": (NORD, {"nom_usage": "Dufresnoy", "prenoms": "Damien", "statut": "Archivé"}),
	"emile": (
		NORD,
		{
			"nom_usage": "Esterhazy",
			"prenoms": "Émile",
			"date_naissance": "1955-03-10",
			"genre": "Homme",
			"commune": "Autreville",
		},
	),
	"fanny": (
		NORD,
		{"nom_usage": "Fauconnet", "prenoms": "Fanny", "date_naissance": "1960-07-01", "genre": "Femme"},
	),
	"gaston": (
		NORD,
		{"nom_usage": "Guillemard", "prenoms": "Gaston", "date_naissance": "1975-05-05", "genre": "Homme"},
	),
	"sud": (
		SUD,
		{
			"nom_usage": "Sudreau",
			"prenoms": "Solène",
			"date_naissance": "1980-02-02",
			"genre": "Femme",
			"commune": "Sudville",
		},
	),
}

# key -> (structure, name, aid)
TYPES = {
	"domiciliation": (NORD, "Domiciliation", 0),
	"logement": (NORD, "Logement", 0),
	"alimentaire": (NORD, "Aide alimentaire", 1),
	"energie": (NORD, "Aide énergie", 1),
	"sud_domiciliation": (SUD, "Domiciliation", 0),
	"sud_energie": (SUD, "Aide énergie", 1),
}

TEL = "Entretien téléphonique"
RDV = "Accueil physique sur rendez-vous"
VAD = "Visite à domicile"

# (key, person, types, date, agent, mode, statut, extra)
ACCOMPAGNEMENTS = [
	("a1", "alice", ["domiciliation"], "2025-02-10", "ts_n", "Accueil physique spontané", "Terminé", {}),
	("a2", "alice", ["domiciliation", "logement"], "2025-03-15", "ts_n", TEL, "En cours", {}),
	("a3", "bruno", ["logement"], "2025-04-01", "ts_n", "Courrier", "À traiter", {}),
	(
		"a4",
		"bruno",
		["alimentaire"],
		"2025-05-05",
		"ts_n",
		RDV,
		"Terminé",
		{
			"heure": "10:00:00",
			"issue_rendez_vous": "Honoré",
			"decision": "Accordée",
			"montant_demande": 300,
			"montant_accorde": 250,
			"date_decision": "2025-05-20",
			"mode_paiement": "Virement",
			"date_paiement": "2025-06-01",
		},
	),
	(
		"a5",
		"chloe",
		["alimentaire"],
		"2025-06-10",
		"ts_n",
		TEL,
		"Terminé",
		{
			"decision": "Refusée",
			"montant_demande": 500,
			"motif_refus": "Ressources suffisantes",
			"date_decision": "2025-06-20",
		},
	),
	(
		"a6",
		"chloe",
		["energie"],
		"2025-07-01",
		"ts_n",
		TEL,
		"En cours",
		{"decision": "En cours d'instruction", "montant_demande": 200},
	),
	(
		"a7",
		"alice",
		["alimentaire", "energie"],
		"2025-08-01",
		"ts_n",
		TEL,
		"Terminé",
		{
			"decision": "Accordée partiellement",
			"montant_demande": 400,
			"montant_accorde": 150,
			"date_decision": "2025-08-10",
		},
	),
	(
		"a8",
		"damien",
		["domiciliation"],
		"2025-09-09",
		"ts_n",
		VAD,
		"Terminé",
		{"issue_rendez_vous": "Honoré"},
	),
	# Planned, then missed: the controller makes it « Terminé », the statistics leave it out.
	(
		"a9",
		"fanny",
		["domiciliation"],
		"2025-10-10",
		"ts_n",
		VAD,
		"Planifié",
		{"issue_rendez_vous": "Non honoré"},
	),
	("a10", "fanny", ["logement"], "2025-11-11", "ts_n", RDV, "Annulé", {"heure": "09:00:00"}),
	# Past and still « Planifié »: its outcome is to be recorded.
	("a11", "fanny", ["domiciliation"], "2025-12-01", "ts_n", "Rendez-vous extérieur", "Planifié", {}),
	(
		"a12",
		"bruno",
		["domiciliation"],
		"2025-12-15",
		"ts_n2",
		RDV,
		"Terminé",
		{"heure": "14:00:00", "issue_rendez_vous": "Honoré"},
	),
	(
		"a13",
		"chloe",
		["logement"],
		"2025-12-20",
		"ts_n2",
		VAD,
		"Terminé",
		{"issue_rendez_vous": "Non honoré"},
	),
	# Before the period.
	("b1", "damien", ["domiciliation"], "2024-05-05", "ts_n", TEL, "Terminé", {}),
	("b2", "emile", ["logement"], "2024-06-06", "ts_n", TEL, "Terminé", {}),
	("b3", "bruno", ["domiciliation"], "2024-12-31", "ts_n", TEL, "Terminé", {}),
	# After the period.
	("c1", "gaston", ["domiciliation"], "2026-01-10", "ts_n", TEL, "Terminé", {}),
	("c2", "alice", ["domiciliation"], "2026-01-05", "ts_n", TEL, "Terminé", {}),
	# The other structure, same year: never in Nord's figures.
	(
		"s1",
		"sud",
		["sud_domiciliation"],
		"2025-03-03",
		"resp_s",
		RDV,
		"Terminé",
		{"heure": "11:00:00", "issue_rendez_vous": "Honoré"},
	),
	(
		"s2",
		"sud",
		["sud_energie"],
		"2025-04-04",
		"resp_s",
		TEL,
		"Terminé",
		{
			"decision": "Accordée",
			"montant_demande": 1000,
			"montant_accorde": 1000,
			"date_decision": "2025-04-10",
			"mode_paiement": "Chèque",
			"date_paiement": "2025-04-15",
		},
	),
]

FILTRES_2025 = {"date_debut": "2025-01-01", "date_fin": "2025-12-31", "structure": NORD}


class Jeu(frappe._dict):
	"""users (key -> e-mail), types (key -> id), personnes (key -> file id), accompagnements."""


def vider() -> None:
	"""What an earlier run left in the two structures."""
	for doctype in ("Accompagnement", "Beneficiaire"):
		names = frappe.get_all(doctype, filters={"structure": ("in", [NORD, SUD])}, pluck="name")
		if not names:
			continue
		for table in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
		if doctype == "Accompagnement":
			frappe.db.delete("Compte Rendu Prive", {"accompagnement": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})


def construire() -> Jeu:
	frappe.set_user("Administrator")
	vider()
	jeu = Jeu(
		users=frappe._dict(), types=frappe._dict(), personnes=frappe._dict(), accompagnements=frappe._dict()
	)
	make_structure(NORD, "STN")
	make_structure(SUD, "STS")
	for cle, (email, role, structures, prenom, nom) in COMPTES.items():
		make_user(email, role, structures=structures)
		if frappe.db.get_value("User", email, "full_name") != f"{prenom} {nom}":
			frappe.db.set_value(
				"User", email, {"first_name": prenom, "last_name": nom, "full_name": f"{prenom} {nom}"}
			)
			# frappe.utils.get_fullname keeps names per process: an earlier test may have read the
			# factory's name (« ts-nord ») for this user.
			getattr(frappe.local, "fullnames", {}).pop(email, None)
		update_password(email, MOT_DE_PASSE)
		jeu.users[cle] = email
	for cle, (structure, nom, aide) in TYPES.items():
		jeu.types[cle] = make_type(structure, nom, aide_financiere=aide)
	for cle, (structure, identite) in PERSONNES.items():
		doc = frappe.get_doc({"doctype": "Beneficiaire", "structure": structure, **identite})
		doc.insert(ignore_permissions=True)
		jeu.personnes[cle] = doc.name
	for cle, personne, types, date, agent, mode, statut, extra in ACCOMPAGNEMENTS:
		doc = frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": jeu.personnes[personne],
				"types_accompagnement": [{"type_accompagnement": jeu.types[t]} for t in types],
				"date": date,
				"agent": jeu.users[agent],
				"mode": mode,
				"statut": statut,
				**extra,
			}
		)
		doc.insert(ignore_permissions=True)
		jeu.accompagnements[cle] = doc.name
	frappe.db.commit()
	return jeu


@pytest.fixture(scope="session")
def _jeu(frappe_site):
	return construire()


@pytest.fixture
def jeu(_jeu, rollback):
	return _jeu


@pytest.fixture(scope="session")
def cles_stats(_jeu):
	"""An API key for each user of the dataset (committed, reused by later sessions)."""
	tokens = {}
	for cle, user in _jeu.users.items():
		tokens[cle] = jeton_api(user)
	return tokens


def noms_des_personnes() -> list[str]:
	"""Every name and first name of the dataset's beneficiaries."""
	return [v for _s, identite in PERSONNES.values() for v in (identite["nom_usage"], identite["prenoms"])]
