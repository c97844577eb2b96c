"""The demo data is created once, is isolated per structure like real data, and clears completely."""

import frappe

from suivi_social import demo
from tests.conftest import as_user


def test_demo_creation_idempotente_et_reversible():
	demo.create_demo_data()
	fichiers = frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"})
	assert fichiers >= 2
	# A past import of old workbooks, with its reports and the files it created.
	assert frappe.db.get_value(
		"Import Classeur", {"structure": "CCAS de Démoville"}, ["statut", "personnes_creees"]
	) == ("Terminé", 3)
	demo.create_demo_data()
	assert frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"}) == fichiers
	assert frappe.db.count("Import Classeur", {"structure": "CCAS de Démoville"}) == 1
	with as_user("travailleur@cias-valfictif.fr"):
		assert set(frappe.get_list("Beneficiaire", pluck="structure")) == {"CIAS du Val Fictif"}
	verifier_les_rappels_de_la_demo()
	verifier_l_accueil_de_la_demo()
	verifier_l_absence_de_la_demo()
	verifier_l_agenda_de_la_demo()
	verifier_les_journaux_de_la_demo()
	verifier_la_conservation_de_la_demo()
	verifier_les_pieces_jointes_de_la_demo()
	demo.clear_demo_data()
	assert not frappe.db.exists("Structure", "CCAS de Démoville")
	assert not frappe.db.exists("User", "accueil@ccas-demo.fr")
	assert frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"}) == 0
	for doctype in ("Import Classeur", "Ligne Importee", "Modele Import", "Correspondance Referent"):
		assert not frappe.get_all(doctype, {"structure": "CCAS de Démoville"}), doctype
	# Its workbook, reports and rejected rows went with it.
	for fichier in frappe.get_all("File", {"attached_to_doctype": "Import Classeur"}, ["attached_to_name"]):
		assert frappe.db.exists("Import Classeur", fichier.attached_to_name)
	assert not frappe.db.exists("File", {"file_name": ("like", "anciens-tableaux-ccas%")})


def verifier_les_journaux_de_la_demo():
	"""The Responsable of Démoville reads who opened and printed Démoville's files (demo/journaux.py),
	not the Val Fictif's opening."""
	with as_user("responsable@ccas-demo.fr"):
		ouvertures = frappe.get_list("View Log", fields=["viewed_by", "structure"], limit_page_length=0)
		acces = frappe.get_list("Access Log", fields=["user", "method"], limit_page_length=0)
	assert {r.structure for r in ouvertures} == {"CCAS de Démoville"}
	assert {"travailleur@ccas-demo.fr", "accueil@ccas-demo.fr"} <= {r.viewed_by for r in ouvertures}
	assert ("travailleur@ccas-demo.fr", "Print") in {(r.user, r.method) for r in acces}
	assert frappe.db.exists("View Log", {"viewed_by": "travailleur@cias-valfictif.fr"})


def verifier_les_pieces_jointes_de_la_demo():
	"""Hélène Lefèvre's certificate is « confidentiel »: the reception lists her other attachment only
	(permissions/pieces_jointes.py)."""

	def pieces(user: str) -> set[str]:
		with as_user(user):
			return {
				nom.rsplit(".", 1)[0][:18]
				for nom in frappe.get_list(
					"File",
					filters={"attached_to_doctype": "Beneficiaire"},
					pluck="file_name",
					limit_page_length=0,
				)
			}

	assert {"justificatif-domic", "certificat-medical"} <= pieces("travailleur@ccas-demo.fr")
	assert "justificatif-domic" in pieces("accueil@ccas-demo.fr")
	assert "certificat-medical" not in pieces("accueil@ccas-demo.fr")


def verifier_la_conservation_de_la_demo():
	"""The retention's dry run lists the demo's old files (rgpd/conservation.py), and a past run
	anonymised one, recorded in the structure's timeline."""
	from suivi_social.rgpd import conservation

	structure = "CCAS de Démoville"
	apercu = conservation.apercu(structure)
	assert {"POULAIN Armand", "LACROIX Josiane"} <= {d.nom_complet for d in apercu.a_archiver}
	assert "TEXIER Monique" in {d.nom_complet for d in apercu.a_anonymiser}
	anonymise = frappe.db.get_default(demo.CONSERVATION_KEY)
	assert frappe.db.get_value("Beneficiaire", anonymise, ["nom_complet", "telephone"]) == (
		"ANONYMISÉ Dossier",
		None,
	)
	assert not frappe.db.exists("Beneficiaire", {"nom_usage": "Vasseur"})
	assert frappe.db.exists(
		"Comment",
		{
			"reference_doctype": "Structure",
			"reference_name": structure,
			"content": ("like", f"%{anonymise}%"),
		},
	)
	assert not frappe.db.get_value("Structure", structure, "conservation_automatique")


def verifier_l_agenda_de_la_demo():
	"""Appointments this week and next in the calendar of each demo agent (dossiers/rendez_vous.py),
	and Hélène Lefèvre, who consented to a text, expected tomorrow."""
	from frappe.utils import add_days, getdate, today

	from suivi_social.dossiers.rendez_vous import evenements

	t = getdate(today())
	lundi = add_days(t, -t.weekday())
	for agent in ("travailleur@ccas-demo.fr", "responsable@ccas-demo.fr", "travailleur@cias-valfictif.fr"):
		with as_user(agent):
			assert evenements(
				"Accompagnement", str(lundi), str(add_days(lundi, 14)), filters={"agent": agent}
			)
	lefevre = frappe.db.get_value(
		"Beneficiaire", {"nom_usage": "Lefèvre"}, ["name", "consentement_rappel_sms"]
	)
	assert lefevre[1] == 1
	assert frappe.db.exists(
		"Accompagnement", {"beneficiaire": lefevre[0], "date": add_days(t, 1), "statut": "Planifié"}
	)


def verifier_l_absence_de_la_demo():
	"""Julie Petit is away, Karim Benali covers her and reads her private report (continuite/)."""
	from suivi_social.continuite.absences import remplacant

	assert remplacant("julie.petit@ccas-demo.fr") == "travailleur@ccas-demo.fr"
	with as_user("travailleur@ccas-demo.fr"):
		assert frappe.get_list("Compte Rendu Prive", filters={"auteur": "julie.petit@ccas-demo.fr"})
	assert frappe.db.exists(
		"Notification Log", {"for_user": "travailleur@ccas-demo.fr", "document_type": "Accompagnement"}
	)


def verifier_les_rappels_de_la_demo():
	"""Each demo agent has rappels today, late and this week (« Mes rappels », the morning mail),
	and the Responsable sees the late ones per agent."""
	from suivi_social.dossiers import rappels

	for agent, du_jour, en_retard in (
		("travailleur@ccas-demo.fr", 2, 2),
		("responsable@ccas-demo.fr", 1, 1),
		("travailleur@cias-valfictif.fr", 1, 1),
	):
		with as_user(agent):
			# At least: an agent also has the rappels of a colleague they cover (the demo's absence).
			assert rappels.mes_rappels_du_jour()["value"] >= du_jour, agent
			assert rappels.mes_rappels_en_retard()["value"] >= en_retard, agent
			assert rappels.mes_rappels_de_la_semaine()["value"] >= du_jour, agent
	with as_user("responsable@ccas-demo.fr"):
		graphique = rappels.rappels_en_retard_par_agent()
	par_agent = dict(zip(graphique["labels"], graphique["datasets"][0]["values"], strict=True))
	assert par_agent["Karim Benali"] >= 2 and par_agent["Claire Moreau"] >= 1
	assert "Inès Roux" not in par_agent  # the other structure's agent


def verifier_l_accueil_de_la_demo():
	"""The Accueil page (accueil/): the reception agent finds a file with its next appointment, its
	open request, and the message left today for its référent."""
	from suivi_social.accueil.api import chercher

	with as_user("accueil@ccas-demo.fr"):
		(ndiaye,) = chercher("ndiaye moussa")["resultats"]
	assert ndiaye["prochain_rendez_vous"]["lieu"] == "Bureau 2, rez-de-chaussée"
	assert [(d["types"], d["statut"]) for d in ndiaye["demandes"]] == [(["Aide au permis"], "À traiter")]
	assert frappe.db.exists(
		"Rappel",
		{
			"beneficiaire": ndiaye["name"],
			"assigne_a": "travailleur@ccas-demo.fr",
			"titre": ("like", "Message de l'accueil%"),
			"date_echeance": frappe.utils.today(),
		},
	)
