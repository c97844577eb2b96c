"""Rappels that remind (issue 9 §3): the morning job (desk notifications and one mail per agent),
the « Mes rappels » cards, the late rappels per agent, the rappel proposed for an aid awaiting
documents.

The clock is fixed (Wednesday 12 March 2031, 07:00, in the site's time zone) by replacing
frappe.utils.data.now_datetime, which every today() / now() of Frappe and of the app reads. Every
rappel already in the site and still to do is late on that day: the job also sends them to their
own agents, so each assertion looks at the mails and notifications of this test's agents only.
"""

import email
import html
import json
from datetime import datetime
from email import policy

import frappe
import pytest
from frappe.desk.doctype.notification_settings.notification_settings import create_notification_settings
from frappe.utils import add_days, get_fullname, getdate

from suivi_social.dossiers import rappels, rappels_du_matin
from suivi_social.roles import TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.factories import jeton_api, make_user

JOUR = getdate("2031-03-12")
METHODE = "suivi_social.dossiers.rappels_du_matin.envoyer_les_rappels_du_jour"


@pytest.fixture
def horloge(monkeypatch):
	"""Today is JOUR, 07:00 (what the scheduler's cron « 0 7 * * * » sees)."""
	monkeypatch.setattr(frappe.utils.data, "now_datetime", lambda: datetime(2031, 3, 12, 7, 0))
	return JOUR


def rappel(monde, titre: str, jours: int, agent: str | None = None, **values) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": titre,
				"date_echeance": add_days(JOUR, jours),
				"assigne_a": agent or monde.ts_a,
				"beneficiaire": monde.ben_a.name,
				**values,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


@pytest.fixture
def rappels_du_jour(monde, horloge, messagerie):
	"""A's two agents and B's: due today, late, tomorrow, done, cancelled."""
	r = frappe._dict(
		aujourdhui=rappel(monde, "Appeler la CAF", 0, heure_echeance="09:30:00", note="Note secrète"),
		retard=rappel(monde, "Relancer le bailleur", -3),
		demain=rappel(monde, "Préparer la commission", 1),
		samedi=rappel(monde, "Vérifier le dossier FSL", 3),
		fait=rappel(monde, "Déjà fait", -1, statut="Fait"),
		annule=rappel(monde, "Annulé hier", -1, statut="Annulé"),
		collegue=rappel(monde, "Rappel de la collègue", 0, agent=monde.ts_a2),
		b=rappel(monde, "Rappel de B", 0, agent=monde.ts_b, beneficiaire=monde.ben_b.name),
	)
	return r


def courriels(user: str) -> list[frappe._dict]:
	"""The digests queued for `user`: subject and decoded HTML of each."""
	resultat = []
	for q in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "User", "reference_name": user},
		fields=["name", "message"],
		order_by="creation asc",
	):
		message = email.message_from_string(q.message, policy=policy.default)
		corps = html.unescape(message.get_body(preferencelist=("html",)).get_content())
		destinataires = frappe.get_all("Email Queue Recipient", filters={"parent": q.name}, pluck="recipient")
		resultat.append(frappe._dict(sujet=str(message["Subject"]), corps=corps, destinataires=destinataires))
	return resultat


def notifications(user: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": user, "document_type": "Rappel", "subject": ("like", "Rappel à traiter%")},
		fields=["document_name", "subject", "type", "read"],
	)


def titres(monde) -> dict:
	return {
		nom: frappe.db.get_value("Rappel", nom, "titre")
		for nom in frappe.get_all("Rappel", filters={"structure": ("in", [monde.a, monde.b])}, pluck="name")
	}


# --- The morning job -------------------------------------------------------------------------------


def test_planifie_chaque_matin_a_sept_heures():
	assert METHODE in frappe.get_hooks("scheduler_events")["cron"]["0 7 * * *"]
	job = frappe.db.get_value(
		"Scheduled Job Type", {"method": METHODE}, ["frequency", "cron_format"], as_dict=True
	)
	assert job == {"frequency": "Cron", "cron_format": "0 7 * * *"}


def test_un_seul_courriel_par_agent_avec_ses_seuls_rappels(monde, rappels_du_jour):
	r = rappels_du_jour
	envoyes = rappels_du_matin.envoyer_les_rappels_du_jour()

	assert envoyes[monde.ts_a] == [r.retard, r.aujourdhui]
	assert envoyes[monde.ts_a2] == [r.collegue]
	assert envoyes[monde.ts_b] == [r.b]

	(mail,) = courriels(monde.ts_a)
	assert mail.destinataires == ["ts-a@test.fr"]
	assert mail.sujet == "Vos rappels du 12/03/2031 : 1 aujourd'hui, 1 en retard"
	assert "Voici les rappels à traiter au 12/03/2031." in mail.corps
	assert "Appeler la CAF" in mail.corps and "Relancer le bailleur" in mail.corps
	assert "Échéance aujourd'hui" in mail.corps and ", 09:30" in mail.corps
	assert "En retard, échéance le 09/03/2031" in mail.corps
	assert monde.ben_a.nom_complet in mail.corps
	assert f"/app/rappel/{r.aujourdhui}" in mail.corps
	# Not tomorrow's, not done or cancelled ones, not a colleague's, not another structure's.
	for autre in ("Préparer la commission", "Vérifier le dossier FSL", "Déjà fait", "Annulé hier"):
		assert autre not in mail.corps
	assert "Rappel de la collègue" not in mail.corps and "Rappel de B" not in mail.corps

	(mail_b,) = courriels(monde.ts_b)
	assert "Rappel de B" in mail_b.corps and monde.ben_b.nom_complet in mail_b.corps
	assert "Martin" not in mail_b.corps and "Appeler la CAF" not in mail_b.corps
	(mail_a2,) = courriels(monde.ts_a2)
	assert mail_a2.sujet == "Vos rappels du 12/03/2031 : 1 aujourd'hui, 0 en retard"


def test_rien_de_confidentiel_dans_le_courriel_ni_la_cloche(monde, rappels_du_jour):
	# A rappel about the accompaniment whose report and amounts are confidential.
	rappel(monde, "Suivre l'aide", 0, accompagnement=monde.acc_ben_a, note="Dettes de jeu")
	rappels_du_matin.envoyer_les_rappels_du_jour()
	(mail,) = courriels(monde.ts_a)
	cloche = html.unescape(" ".join(n.subject for n in notifications(monde.ts_a)))
	assert "Suivre l'aide" in mail.corps and "Suivre l'aide" in cloche
	for secret in ("Note secrète", "Dettes de jeu", "Secret A", "300", monde.ben_a.numero_securite_sociale):
		assert secret not in mail.corps and secret not in mail.sujet and secret not in cloche
	# The bell names no beneficiary.
	assert "Martin" not in cloche


def test_une_notification_par_rappel_du_jour(monde, rappels_du_jour):
	r = rappels_du_jour
	rappels_du_matin.envoyer_les_rappels_du_jour()
	(n,) = notifications(monde.ts_a)
	assert n.document_name == r.aujourdhui and n.type == "Alert" and not n.read
	assert n.subject == "Rappel à traiter aujourd'hui : <b>Appeler la CAF</b>"
	assert [n.document_name for n in notifications(monde.ts_a2)] == [r.collegue]
	assert [n.document_name for n in notifications(monde.ts_b)] == [r.b]
	# Notification Log type Alert: Frappe sends no mail of its own, the digest is the only one.
	assert len(courriels(monde.ts_a)) == 1


def test_un_long_retard_est_compte_pas_liste(monde, rappels_du_jour, monkeypatch):
	monkeypatch.setattr(rappels_du_matin, "MAX_EN_RETARD", 1)
	rappel(monde, "Très ancien rappel", -30)
	rappels_du_matin.envoyer_les_rappels_du_jour()
	(mail,) = courriels(monde.ts_a)
	# Today's first, then the oldest late one; the other is counted.
	assert mail.corps.index("Appeler la CAF") < mail.corps.index("Très ancien rappel")
	assert "Relancer le bailleur" not in mail.corps
	assert "… et 1 autre(s) rappel(s) en retard, dans la liste des rappels." in mail.corps
	assert mail.sujet == "Vos rappels du 12/03/2031 : 1 aujourd'hui, 2 en retard"


def test_relancer_le_meme_jour_n_envoie_rien_deux_fois(monde, rappels_du_jour):
	premier = rappels_du_matin.envoyer_les_rappels_du_jour()
	assert premier[monde.ts_a]
	assert frappe.db.get_value("Rappel", rappels_du_jour.retard, "notifie_le") == JOUR

	assert rappels_du_matin.envoyer_les_rappels_du_jour() == {}
	assert len(courriels(monde.ts_a)) == 1 and len(notifications(monde.ts_a)) == 1

	# A rappel added since: sent alone.
	nouveau = rappel(monde, "Urgent : appeler l'hôpital", 0)
	assert rappels_du_matin.envoyer_les_rappels_du_jour() == {monde.ts_a: [nouveau]}
	second = courriels(monde.ts_a)[1]
	assert "Urgent" in second.corps and "Appeler la CAF" not in second.corps


def test_un_rappel_en_retard_revient_chaque_matin(monde, rappels_du_jour, monkeypatch):
	rappels_du_matin.envoyer_les_rappels_du_jour()
	monkeypatch.setattr(frappe.utils.data, "now_datetime", lambda: datetime(2031, 3, 13, 7, 0))
	envoyes = rappels_du_matin.envoyer_les_rappels_du_jour()
	r = rappels_du_jour
	assert envoyes[monde.ts_a] == [r.retard, r.aujourdhui, r.demain]
	assert courriels(monde.ts_a)[1].sujet == "Vos rappels du 13/03/2031 : 1 aujourd'hui, 2 en retard"
	# Only today's is rung in the bell again: yesterday's two are in the mail.
	assert sorted(n.document_name for n in notifications(monde.ts_a)) == sorted([r.aujourdhui, r.demain])


def test_un_agent_de_deux_structures_recoit_les_deux(monde, horloge, messagerie):
	agent = make_user("ts-ab@test.fr", TRAVAILLEUR_SOCIAL, structures=(monde.a, monde.b))
	a = rappel(monde, "Rappel côté A", 0, agent=agent)
	b = rappel(monde, "Rappel côté B", 0, agent=agent, beneficiaire=monde.ben_b.name)
	assert sorted(rappels_du_matin.envoyer_les_rappels_du_jour()[agent]) == sorted([a, b])
	(mail,) = courriels(agent)
	assert "Rappel côté A" in mail.corps and "Rappel côté B" in mail.corps
	# Two structures in one mail: each line says which.
	assert monde.a in mail.corps and monde.b in mail.corps


def test_un_agent_parti_de_la_structure_ne_recoit_plus_ses_rappels(monde, horloge):
	agent = make_user("ts-parti@test.fr", TRAVAILLEUR_SOCIAL, structures=(monde.a,))
	nom = rappel(monde, "Rappel de l'agent parti", 0, agent=agent)
	frappe.db.delete("User Permission", {"user": agent})
	frappe.cache.delete_value("user_permissions")
	envoyes = rappels_du_matin.envoyer_les_rappels_du_jour()
	assert agent not in envoyes and not courriels(agent) and not notifications(agent)
	# Still counted among the structure's late rappels tomorrow, still to do.
	assert frappe.db.get_value("Rappel", nom, ["statut", "notifie_le"]) == ("À faire", None)


def test_jamais_a_un_remplacant_hors_de_la_structure(monde, rappels_du_jour, monkeypatch):
	"""Whatever the absences say, a rappel goes only to someone who may read it."""
	monkeypatch.setattr(rappels_du_matin, "remplacant", lambda agent, jour, structure=None: monde.ts_b)
	envoyes = rappels_du_matin.envoyer_les_rappels_du_jour()
	assert envoyes[monde.ts_b] == [rappels_du_jour.b]
	assert rappels_du_jour.aujourdhui in envoyes[monde.ts_a]
	(mail_b,) = courriels(monde.ts_b)
	assert "Appeler la CAF" not in mail_b.corps and "Martin" not in mail_b.corps


def test_pendant_une_absence_le_collegue_recoit_les_rappels(monde, rappels_du_jour):
	r = rappels_du_jour
	frappe.get_doc(
		{
			"doctype": "Absence",
			"agent": monde.ts_a,
			"structure": monde.a,
			"du": add_days(JOUR, -2),
			"au": add_days(JOUR, 2),
			"remplacant": monde.ts_a2,
		}
	).insert(ignore_permissions=True)
	envoyes = rappels_du_matin.envoyer_les_rappels_du_jour()
	assert monde.ts_a not in envoyes and not courriels(monde.ts_a)
	assert sorted(envoyes[monde.ts_a2]) == sorted([r.collegue, r.retard, r.aujourdhui])

	(mail,) = courriels(monde.ts_a2)
	assert mail.sujet == "Vos rappels du 12/03/2031 : 2 aujourd'hui, 1 en retard"
	vos, remplacement = mail.corps.split(f"En remplacement de {get_fullname(monde.ts_a)}")
	assert "Vos rappels" in vos and "Rappel de la collègue" in vos and "Appeler la CAF" not in vos
	assert "Appeler la CAF" in remplacement and "Relancer le bailleur" in remplacement

	sujets = {n.document_name: n.subject for n in notifications(monde.ts_a2)}
	assert sujets[r.aujourdhui] == (
		"Rappel à traiter aujourd'hui : <b>Appeler la CAF</b> "
		f"(en remplacement de {get_fullname(monde.ts_a)})"
	)
	assert sujets[r.collegue] == "Rappel à traiter aujourd'hui : <b>Rappel de la collègue</b>"
	assert not notifications(monde.ts_a)

	# « Mes rappels » of the colleague count the absent agent's too, as the mail sends them.
	with as_user(monde.ts_a2):
		assert rappels.mes_rappels_du_jour()["value"] == 2
		assert rappels.mes_rappels_du_jour()["route_options"]["assigne_a"] == [
			"in",
			[monde.ts_a2, monde.ts_a],
		]


def test_les_reglages_de_notification_de_l_agent_sont_respectes(monde, rappels_du_jour):
	create_notification_settings(monde.ts_a)
	frappe.db.set_value("Notification Settings", monde.ts_a, "enable_email_notifications", 0)
	rappels_du_matin.envoyer_les_rappels_du_jour()
	assert not courriels(monde.ts_a)
	assert [n.document_name for n in notifications(monde.ts_a)] == [rappels_du_jour.aujourdhui]
	assert courriels(monde.ts_a2)


def test_sans_compte_de_messagerie_la_cloche_sonne_quand_meme(monde, horloge):
	frappe.local.outgoing_email_account = {}
	nom = rappel(monde, "Appeler la CAF", 0)
	envoyes = rappels_du_matin.envoyer_les_rappels_du_jour()
	assert nom in envoyes[monde.ts_a]
	assert not courriels(monde.ts_a)
	assert [n.document_name for n in notifications(monde.ts_a)] == [nom]
	assert frappe.db.exists("Error Log", {"method": "Rappels du matin : aucun compte de messagerie sortant"})
	frappe.local.outgoing_email_account = {}


# --- « Mes rappels » on the workspace ---------------------------------------------------------------


def test_cartes_mes_rappels_par_utilisateur(monde, rappels_du_jour):
	jour, samedi = str(JOUR), str(add_days(JOUR, 3))
	with as_user(monde.ts_a):
		du_jour = rappels.mes_rappels_du_jour()
		assert du_jour == {
			"value": 1,
			"fieldtype": "Int",
			"route": ["List", "Rappel", "List"],
			"route_options": {"statut": "À faire", "date_echeance": jour, "assigne_a": monde.ts_a},
		}
		en_retard = rappels.mes_rappels_en_retard()
		assert en_retard["value"] == 1
		assert en_retard["route_options"]["date_echeance"] == ["<", jour]
		# The site's week (System Settings) ends on its last day; today, tomorrow and later this week.
		semaine = rappels.mes_rappels_de_la_semaine()
		fin = str(frappe.utils.get_last_day_of_week(JOUR))
		assert semaine["route_options"]["date_echeance"] == ["between", [jour, fin]]
		attendus = 2 + (fin >= samedi)  # aujourdhui, demain (+ samedi when the week ends on Sunday)
		assert semaine["value"] == attendus
		# The list with the card's filters shows what the card counted (what a click opens).
		for carte in (du_jour, en_retard, semaine):
			liste = frappe.get_list("Rappel", filters=carte["route_options"], pluck="name")
			assert len(liste) == carte["value"]
		assert rappels.filtres_de_mes_rappels("en_retard") == en_retard["route_options"]
	with as_user(monde.ts_a2):
		assert [rappels.mes_rappels_du_jour()["value"], rappels.mes_rappels_en_retard()["value"]] == [1, 0]
	with as_user(monde.ts_b):
		assert rappels.mes_rappels_du_jour()["value"] == 1


def test_rappels_en_retard_de_la_structure_et_clic(monde, rappels_du_jour):
	"""The structure's card: the list it opens carries the date filter of its count."""
	for responsable, structure in ((monde.resp_a, monde.a), (monde.resp_b, monde.b)):
		attendu = frappe.db.count(
			"Rappel", {"structure": structure, "statut": "À faire", "date_echeance": ("<", JOUR)}
		)
		with as_user(responsable):
			carte = rappels.rappels_en_retard()
			assert carte["value"] == attendu
			assert carte["route_options"] == {"statut": "À faire", "date_echeance": ["<", str(JOUR)]}
			assert len(frappe.get_list("Rappel", filters=carte["route_options"], pluck="name")) == attendu
	with as_user(monde.resp_a):
		assert rappels.rappels_en_retard()["value"] >= 1  # the fixture's late rappel at least


def test_la_carte_des_rappels_en_retard_est_une_carte_a_route():
	doc = frappe.get_doc("Number Card", "Rappels en retard")
	assert doc.type == "Custom" and doc.method == "suivi_social.dossiers.rappels.rappels_en_retard"


def test_rappels_en_retard_par_agent_pour_le_responsable(monde, rappels_du_jour):
	agent = make_user("ts-ab@test.fr", TRAVAILLEUR_SOCIAL, structures=(monde.a, monde.b))
	rappel(monde, "En retard côté B", -2, agent=agent, beneficiaire=monde.ben_b.name)
	with as_user(monde.resp_a):
		graphique = rappels.rappels_en_retard_par_agent()
	valeurs = dict(zip(graphique["labels"], graphique["datasets"][0]["values"], strict=True))
	# ts_a's late rappel of the fixture and every older one of structure A, by full name.
	attendu = frappe.db.count(
		"Rappel",
		{"structure": monde.a, "statut": "À faire", "date_echeance": ("<", JOUR), "assigne_a": monde.ts_a},
	)
	assert valeurs[get_fullname(monde.ts_a)] == attendu
	# Not B's rappels, even of an agent who is also in A.
	assert get_fullname(agent) not in valeurs and get_fullname(monde.ts_b) not in valeurs
	# The chart is shown to the Responsable only (Dashboard Chart roles).
	for user, visible in ((monde.resp_a, True), (monde.ts_a, False), (monde.acc_a, False)):
		assert (
			frappe.has_permission("Dashboard Chart", doc="Rappels en retard par agent", user=user) == visible
		)


def test_espace_de_travail_mes_rappels(monde):
	espace = frappe.get_doc("Workspace", "Suivi social")
	cartes = [c.number_card_name for c in espace.number_cards]
	assert {"Mes rappels du jour", "Mes rappels en retard", "Mes rappels de la semaine"} <= set(cartes)
	contenu = json.loads(espace.content)
	assert {"Mes rappels du jour", "Mes rappels en retard", "Mes rappels de la semaine"} <= {
		b["data"].get("number_card_name") for b in contenu
	}
	(raccourci,) = (s for s in espace.shortcuts if s.label == "Mes rappels")
	# A JavaScript expression (the shortcut widget evaluates it): the user's own, not "__user".
	assert "frappe.session.user" in raccourci.stats_filter and "__user" not in raccourci.stats_filter


# --- The rappel an aid awaiting documents proposes --------------------------------------------------


def test_une_aide_en_attente_de_justificatifs_propose_une_relance(monde, horloge):
	frappe.db.set_value("Accompagnement", monde.acc_ben_a, "decision", "En attente de justificatifs")
	with as_user(monde.ts_a):
		propose = rappels.rappel_propose(monde.acc_ben_a, "justificatifs")
		assert propose == {
			"titre": f"Relancer pour les justificatifs : {monde.ben_a.nom_complet}",
			"date_echeance": str(add_days(JOUR, rappels.DELAI_RELANCE_JUSTIFICATIFS)),
			"assigne_a": monde.ts_a,
			"accompagnement": monde.acc_ben_a,
			"beneficiaire": monde.ben_a.name,
		}
		# The proposal saves as it is.
		doc = frappe.get_doc({"doctype": "Rappel", **propose}).insert()
		assert doc.structure == monde.a and doc.statut == "À faire"
		echeance = rappels.rappel_propose(monde.acc_ben_a, "echeance")
		assert echeance["titre"] == f"Échéance : {monde.ben_a.nom_complet}"
		with pytest.raises(frappe.ValidationError, match="Motif de rappel inconnu"):
			rappels.rappel_propose(monde.acc_ben_a, "autre")


def test_pas_de_proposition_sur_l_accompagnement_d_une_autre_structure(monde, horloge):
	with as_user(monde.ts_b), pytest.raises(frappe.PermissionError):
		rappels.rappel_propose(monde.acc_ben_a, "justificatifs")


def test_periode_inconnue():
	with pytest.raises(frappe.ValidationError, match="Période inconnue"):
		rappels.filtres_de_mes_rappels("hier")


def test_l_option_de_decision_existe():
	options = frappe.get_meta("Accompagnement").get_options("decision").split("\n")
	assert rappels.DECISION_EN_ATTENTE_DE_JUSTIFICATIFS in options


# --- Indexes ---------------------------------------------------------------------------------


def test_index_des_rappels_de_chaque_agent():
	assert frappe.db.has_index("tabRappel", "assigne_a_statut_date_echeance_index")


# --- Over HTTP --------------------------------------------------------------------------------------


def test_par_http_chacun_ses_rappels_et_sa_structure(monde):
	"""The whitelisted methods through Frappe's request cycle: a card counts the caller's own
	rappels, a proposal on another structure's accompaniment is refused, the list filters are read
	by GET only."""
	from tests.securite.test_http import get, post

	jeton_b = jeton_api(monde.ts_b)
	r = post(
		jeton_b,
		"/api/method/suivi_social.dossiers.rappels.rappel_propose",
		accompagnement=monde.acc_ben_a,
		motif="justificatifs",
	)
	assert r.status_code == 403, r.json
	r = post(jeton_b, "/api/method/suivi_social.dossiers.rappels.mes_rappels_en_retard", filters="[]")
	assert r.status_code == 200 and r.json["message"]["route_options"]["assigne_a"] == monde.ts_b
	r = get(jeton_b, "/api/method/suivi_social.dossiers.rappels.filtres_de_mes_rappels", periode="du_jour")
	assert r.status_code == 200 and r.json["message"]["assigne_a"] == monde.ts_b
	r = post(jeton_b, "/api/method/suivi_social.dossiers.rappels.filtres_de_mes_rappels", periode="du_jour")
	assert r.status_code == 403
