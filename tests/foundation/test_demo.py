"""The demo data is created once, is isolated per structure like real data, and clears completely."""

from itertools import pairwise

import frappe

from suivi_social import demo
from tests.conftest import as_user


def test_demo_creation_idempotente_et_reversible():
	# From a site without the demo (a former run may have left it): what clear leaves is compared
	# with this, table by table.
	demo.clear_demo_data()
	avant = lignes_par_table()
	demo.create_demo_data()
	fichiers = frappe.db.count("Beneficiaire", {"structure": "CCAS de Démoville"})
	assert fichiers >= 2
	apres_une_creation = lignes_par_table()
	# A past import of old workbooks, with its reports and the files it created.
	assert frappe.db.get_value(
		"Import Classeur", {"structure": "CCAS de Démoville"}, ["statut", "personnes_creees"]
	) == ("Terminé", 3)
	demo.create_demo_data()
	assert lignes_par_table() == apres_une_creation
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
	verifier_le_volume_de_la_demo()
	verifier_les_aides_de_la_demo()
	verifier_l_agenda_et_les_rappels_du_travailleur_social()
	verifier_l_isolation_des_structures_de_la_demo()
	verifier_l_effacement_rgpd_de_la_demo()
	demo.clear_demo_data()
	assert_memes_lignes(avant, lignes_par_table())
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


# --- Three years of a CCAS (demo/volume.py) --------------------------------------------------------

DEMOVILLE, VAL_FICTIF = "CCAS de Démoville", "CIAS du Val Fictif"
KARIM, INES = "travailleur@ccas-demo.fr", "travailleur@cias-valfictif.fr"


def lignes_par_table() -> dict[str, int]:
	"""Rows of every table the demo may write to: the app's DocTypes and their child tables, what
	Frappe writes about a record or a user, the reception search's index."""
	from suivi_social.accueil import jetons

	doctypes = set(
		frappe.get_all(
			"DocType", filters={"module": ("in", frappe.get_module_list("suivi_social"))}, pluck="name"
		)
	)
	doctypes |= {
		"User",
		"User Permission",
		"Has Role",
		"Version",
		"Comment",
		"Notification Log",
		"View Log",
		"Access Log",
		"ToDo",
		"File",
		"Deleted Document",
		"Email Queue",
	}
	tables = [f"tab{d}" for d in sorted(doctypes)] + [jetons.TABLE_JETONS, jetons.TABLE_VARIANTES]
	lignes = {t: frappe.db.sql(f"select count(*) from `{t}`")[0][0] for t in tables}
	# What Frappe's delete_doc writes about the deletion itself (the « Deleted » and « Attachment
	# Removed » entries of the activity log, and the copy of a deleted user's Notification Settings,
	# which it deletes without delete_permanently) is the trace of clear, not demo data.
	lignes["tabComment"] = frappe.db.count(
		"Comment", {"comment_type": ("not in", ("Deleted", "Attachment Removed"))}
	)
	lignes["tabDeleted Document"] = frappe.db.count(
		"Deleted Document", {"deleted_doctype": ("!=", "Notification Settings")}
	)
	return lignes


def assert_memes_lignes(avant: dict, apres: dict) -> None:
	ecarts = {t: (avant[t], apres[t]) for t in avant if avant[t] != apres[t]}
	assert not ecarts, ecarts


def verifier_le_volume_de_la_demo():
	"""About 300 files over three years, most at the CCAS de Démoville, people of every age, every
	typology of each structure in use, each file in the reception search's index."""
	from frappe.utils import add_days, getdate

	from suivi_social.accueil import jetons

	par_structure = {s: frappe.db.count("Beneficiaire", {"structure": s}) for s in (DEMOVILLE, VAL_FICTIF)}
	assert 270 <= sum(par_structure.values()) <= 340, par_structure
	assert par_structure[DEMOVILLE] > 5 * par_structure[VAL_FICTIF] > 0
	jour = getdate()
	for annee in range(3):  # each of the last three years has its share of activity
		debut, fin = add_days(jour, -365 * (annee + 1)), add_days(jour, -365 * annee)
		assert (
			frappe.db.count("Accompagnement", {"structure": DEMOVILLE, "date": ("between", [debut, fin])})
			> 100
		)
		assert (
			frappe.db.count("Beneficiaire", {"structure": DEMOVILLE, "creation": ("between", [debut, fin])})
			> 40
		)
	ages = [
		r.age
		for r in frappe.db.sql(
			"select timestampdiff(year, date_naissance, curdate()) as age from tabBeneficiaire where structure = %s and date_naissance is not null",
			DEMOVILLE,
			as_dict=True,
		)
	]
	aines, jeunes = sum(a >= 60 for a in ages) / len(ages), sum(a < 26 for a in ages) / len(ages)
	assert 0.2 < aines < 0.5 and 0.05 < jeunes < 0.25, (aines, jeunes)
	for champ in ("genre", "situation_familiale", "mode_hebergement", "statut"):
		assert (
			len(frappe.get_all("Beneficiaire", {"structure": DEMOVILLE}, pluck=champ, distinct=True)) >= 3
		), champ
	assert frappe.db.count("Ressource Beneficiaire", {"parenttype": "Beneficiaire"}) > 200
	for structure in (DEMOVILLE, VAL_FICTIF):
		typologies = set(
			frappe.get_all("Type Accompagnement", {"structure": structure, "actif": 1}, pluck="name")
		)
		utilisees = set(
			frappe.db.sql_list(
				"""select distinct l.type_accompagnement from `tabType Accompagnement Lien` l
				join tabAccompagnement a on a.name = l.parent where a.structure = %s""",
				structure,
			)
		)
		assert typologies <= utilisees, typologies - utilisees
		indexes = frappe.db.sql(
			f"select count(distinct beneficiaire) from `{jetons.TABLE_JETONS}` where structure = %s",
			structure,
		)[0][0]
		# (an anonymised file leaves the index: rgpd/conservation.py)
		assert indexes == frappe.db.count(
			"Beneficiaire", {"structure": structure, "date_anonymisation": ("is", "not set")}
		)
	# The retention's dry run proposes generated files, not only the hand-written old ones.
	from suivi_social.rgpd import conservation

	assert len(conservation.apercu(DEMOVILLE).a_archiver) >= 10


def verifier_les_aides_de_la_demo():
	"""Aid requests at every stage: requested, waiting for documents, under review, before the
	commission, granted (fully or partly), refused, adjourned, dropped, paid; and the yearly report
	of last year counts them."""
	from frappe.utils import getdate

	from suivi_social.statistiques.rapport_annuel import rapport_annuel

	aides = frappe.get_all(
		"Accompagnement",
		filters={"structure": DEMOVILLE, "aide_financiere": 1},
		fields=["decision", "date_commission", "date_decision", "date_paiement", "statut"],
	)
	decisions = {a.decision or "" for a in aides}
	assert decisions >= {
		"",
		"En attente de justificatifs",
		"En cours d'instruction",
		"Accordée",
		"Accordée partiellement",
		"Refusée",
		"Ajournée",
		"Classée sans suite",
	}, decisions
	assert any(a.date_commission and not a.date_decision for a in aides)  # before the commission
	assert sum(1 for a in aides if a.date_paiement) > 20
	with as_user("responsable@ccas-demo.fr"):
		chiffres = {
			c["libelle"]: c["valeur"] for c in rapport_annuel(getdate().year - 1, DEMOVILLE)["chiffres"]
		}
	assert chiffres["Bénéficiaires accompagnés"] > 80 and chiffres["Aides accordées"] > 20, chiffres


def verifier_l_agenda_et_les_rappels_du_travailleur_social():
	"""Karim Benali, the demo's social worker, has appointments today and this week, never two at
	once, and rappels late and due this week."""
	from frappe.utils import add_days, getdate

	from suivi_social.dossiers import rappels
	from suivi_social.dossiers.rendez_vous import bornes

	jour = getdate()
	lundi = add_days(jour, -jour.weekday())
	planifies = {"agent": KARIM, "rendez_vous": 1, "statut": "Planifié"}
	assert frappe.db.count("Accompagnement", {**planifies, "date": jour}) >= 3
	semaine = {"agent": KARIM, "rendez_vous": 1, "date": ("between", [lundi, add_days(lundi, 6)])}
	assert frappe.db.count("Accompagnement", semaine) >= 10
	# Never two planned appointments at once (Accompagnement.validate's rule, which the bulk writer
	# cannot check between the records it writes together).
	for agent in (KARIM, "responsable@ccas-demo.fr", "julie.petit@ccas-demo.fr", INES):
		rendez_vous = sorted(
			bornes(r.date, r.heure, r.duree)
			for r in frappe.get_all(
				"Accompagnement",
				{"agent": agent, "rendez_vous": 1, "statut": "Planifié", "heure": ("is", "set")},
				["date", "heure", "duree"],
			)
		)
		for (_debut, fin), (debut_suivant, _fin) in pairwise(rendez_vous):
			assert fin <= debut_suivant, (agent, fin, debut_suivant)
	with as_user(KARIM):
		assert rappels.mes_rappels_en_retard()["value"] >= 5
		assert rappels.mes_rappels_de_la_semaine()["value"] >= 4


def verifier_l_isolation_des_structures_de_la_demo():
	"""A social worker of one structure sees none of the other's generated files, accompaniments
	or rappels, in lists or at the reception search; the other structure's files are all there."""
	from suivi_social.accueil.api import chercher

	for agent, sienne, autre in ((INES, VAL_FICTIF, DEMOVILLE), (KARIM, DEMOVILLE, VAL_FICTIF)):
		with as_user(agent):
			for doctype in ("Beneficiaire", "Accompagnement", "Rappel"):
				structures = frappe.get_list(doctype, pluck="structure", limit_page_length=0)
				assert set(structures) == {sienne}, (agent, doctype)
			assert len(frappe.get_list("Beneficiaire", limit_page_length=0)) == frappe.db.count(
				"Beneficiaire", {"structure": sienne}
			)
		# A file of the other structure, by its name, is not found at the reception search.
		nom = frappe.db.get_value("Beneficiaire", {"structure": autre, "statut": "Actif"}, "nom_complet")
		with as_user(agent):
			trouves = [r["name"] for r in chercher(nom)["resultats"]]
		assert {frappe.db.get_value("Beneficiaire", n, "structure") for n in trouves} <= {sienne}


def verifier_l_effacement_rgpd_de_la_demo():
	"""A file erased at the person's request by the Responsable: the audit entry, nothing left."""
	effacement = frappe.get_all(
		"Effacement RGPD", filters={"structure": DEMOVILLE}, fields=["name", "effectue_par"]
	)
	assert [e.effectue_par for e in effacement] == ["responsable@ccas-demo.fr"]
	assert not frappe.db.exists("Beneficiaire", {"nom_usage": "Effacée"})
