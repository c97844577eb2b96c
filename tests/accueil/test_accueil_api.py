"""The Accueil page's methods (suivi_social/accueil/api.py): what a result shows to each role, what
each action records, the agenda's overlaps, bad input, and structure isolation — in Python as each
role's user, then over HTTP for what only the request cycle enforces (POST only, JSON sent)."""

import json
from unittest.mock import patch

import frappe
import pytest
from frappe.utils import add_days, get_fullname, getdate, nowdate, today

from suivi_social.accueil import api
from suivi_social.accueil.api import DossierInaccessible, RendezVousImpossible
from suivi_social.accueil.connexion import PAGE_ACCUEIL, diriger_vers_l_accueil
from suivi_social.exceptions import ChevauchementRendezVous, HorsStructure
from tests.conftest import as_user
from tests.continuite.outils import absence
from tests.factories import make_accompagnement, make_beneficiaire, nir

MONTANT_DEMANDE = 487.35
MONTANT_ACCORDE = 412.65
SECRET = "Dette de loyer chez le bailleur Habitat Lumiere"
NIR = nir("2550375123456")
MUTUELLE = "Mutuelle Discretion Sante"


def demain(jours: int = 1) -> str:
	return str(add_days(today(), jours))


@pytest.fixture
def berthe(monde):
	"""A file of A with a référent, confidential values, an open aid with amounts, an earlier
	accompaniment of a non-aid type, and an appointment the day after tomorrow."""
	dossier = make_beneficiaire(
		monde.a,
		nom_usage="Quenouille",
		prenoms="Berthe",
		date_naissance="1955-03-14",
		commune="Villeurbanne",
		telephone="06 11 22 33 44",
		numero_securite_sociale=NIR,
		genre="Femme",
		mutuelle=MUTUELLE,
		referents=[{"user": monde.ts_a}],
	)
	make_accompagnement(dossier.name, monde.type_a, monde.ts_a, date="2026-02-01", statut="Terminé")
	aide = make_accompagnement(
		dossier.name,
		monde.aide_a,
		monde.ts_a,
		date="2026-03-01",
		statut="En cours",
		compte_rendu=f"<p>{SECRET}</p>",
		decision="Accordée partiellement",
		montant_demande=MONTANT_DEMANDE,
		montant_accorde=MONTANT_ACCORDE,
	)
	rdv = make_accompagnement(
		dossier.name,
		monde.type_a,
		monde.ts_a,
		date=demain(2),
		heure="10:30:00",
		mode="Accueil physique sur rendez-vous",
		statut="Planifié",
		lieu="Bureau 3, mairie annexe",
	)
	return frappe._dict(dossier=dossier, aide=aide, rdv=rdv)


def resultat(reponse: dict, name: str) -> dict:
	trouves = [r for r in reponse["resultats"] if r["name"] == name]
	assert trouves, f"{name} absent des résultats : {[r['name'] for r in reponse['resultats']]}"
	return trouves[0]


# --- What a result shows ----------------------------------------------------------------------


def test_l_accueil_voit_ou_en_est_le_dossier_sans_montant_ni_confidentiel(monde, berthe):
	with as_user(monde.acc_a):
		reponse = api.chercher("quenouille berthe")
	r = resultat(reponse, berthe.dossier.name)
	assert r["nom_complet"] == "QUENOUILLE Berthe"
	assert r["age"] == api.age("1955-03-14")
	assert r["commune"] == "Villeurbanne"
	assert r["statut"] == "Actif" and not r["archive"] and not r["decede"]
	assert r["referents"] == [
		{"user": monde.ts_a, "nom": get_fullname(monde.ts_a), "absent": False, "remplacant": None}
	]
	rdv = r["prochain_rendez_vous"]
	assert (str(rdv["date"]), str(rdv["heure"]), rdv["lieu"]) == (
		demain(2),
		"10:30:00",
		"Bureau 3, mairie annexe",
	)
	assert rdv["agent"]["nom"] == get_fullname(monde.ts_a)
	assert str(r["dernier_contact"]) == "2026-03-01"
	(demande,) = r["demandes"]
	assert demande["types"] == ["Aide d'urgence"]
	assert (demande["statut"], demande["decision"]) == ("En cours", "Accordée partiellement")
	# Nothing of level 1 reached the JSON the page receives: no key, no value.
	texte = json.dumps(reponse, default=str, ensure_ascii=False)
	for valeur in ("487", "412", "montant", SECRET, "compte_rendu", NIR, NIR[:13], MUTUELLE, "mutuelle"):
		assert valeur not in texte, f"« {valeur} » envoyé à l'Agent d'accueil"


def test_le_travailleur_social_voit_les_montants(monde, berthe):
	"""The same search by a role that reads level 1: the amounts are there, so the test above fails
	if the field-level cut were gone."""
	with as_user(monde.ts_a):
		(demande,) = resultat(api.chercher("quenouille"), berthe.dossier.name)["demandes"]
	assert (demande["montant_demande"], demande["montant_accorde"]) == (MONTANT_DEMANDE, MONTANT_ACCORDE)


def test_champs_lus_au_niveau_d_acces_du_role(monde):
	"""The cut comes from the DocType's permissions (Meta.get_permlevel_access), not from a list of
	roles: giving the Agent d'accueil level 1 on Accompagnement gives them the amounts."""
	from frappe.model.meta import Meta

	champs = ["name", "date", "montant_demande", "compte_rendu"]
	with as_user(monde.acc_a):
		assert api.champs_lisibles("Accompagnement", champs) == ["name", "date"]
	origine = Meta.get_permissions

	def avec_niveau_1(meta, parenttype=None):
		permissions = origine(meta, parenttype)
		if meta.name == "Accompagnement":
			permissions = [*permissions, frappe._dict(role="Agent d'accueil", permlevel=1, read=1)]
		return permissions

	with patch.object(Meta, "get_permissions", avec_niveau_1), as_user(monde.acc_a):
		assert api.champs_lisibles("Accompagnement", champs) == champs


def test_referent_absent_remplace(monde, berthe):
	absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	with as_user(monde.acc_a):
		r = resultat(api.chercher("quenouille"), berthe.dossier.name)
	(referent,) = r["referents"]
	assert referent["absent"] is True
	assert referent["remplacant"] == {"user": monde.ts_a2, "nom": get_fullname(monde.ts_a2)}
	# The appointment the day after tomorrow falls in the absence (until today + 2): named too.
	assert r["prochain_rendez_vous"]["agent"]["remplacant"]["user"] == monde.ts_a2


def test_dossiers_archives_et_deces_sur_demande_et_marques(monde):
	archive = make_beneficiaire(monde.a, nom_usage="Quenouillard", prenoms="Anselme", statut="Archivé")
	decede = make_beneficiaire(
		monde.a,
		nom_usage="Quenouillard",
		prenoms="Bastien",
		date_naissance="1930-01-01",
		statut="Décédé",
		date_deces="2026-01-10",
	)
	with as_user(monde.acc_a):
		assert not api.chercher("quenouillard")["resultats"]
		reponse = api.chercher("quenouillard", archives=True)
	assert resultat(reponse, archive.name)["archive"] is True
	r = resultat(reponse, decede.name)
	assert r["decede"] is True and r["age"] == 96  # at death, not today


@pytest.mark.parametrize(
	"texte, debut",
	[
		("", "Tapez au moins deux caractères"),
		("a", "Tapez au moins deux caractères"),
		("x" * 1000, "La recherche est limitée à 200 caractères"),
	],
)
def test_recherche_invalide_invite_en_francais(monde, texte, debut):
	frappe.local.message_log = []
	with as_user(monde.acc_a):
		reponse = api.chercher(texte)
	assert reponse["resultats"] == [] and reponse["invite"].startswith(debut)
	# Said in the page's live region, not in an error dialog too.
	assert not frappe.local.message_log


def test_proposition_de_dossier():
	assert api.proposition_de_dossier("LEFEVRE hélène 02/03/1948 06 12 34 56 78") == {
		"telephone": "06 12 34 56 78",
		"date_naissance": "1948-03-02",
		"nom_usage": "Lefevre",
		"prenoms": "Hélène",
	}
	assert api.proposition_de_dossier("dupont marie-claire 12031952") == {
		"date_naissance": "1952-03-12",
		"nom_usage": "Dupont",
		"prenoms": "Marie-Claire",
	}
	assert api.proposition_de_dossier("Hélène LEFÈVRE 02/03/48")["nom_usage"] == "Lefèvre"
	assert api.proposition_de_dossier("31/02/1950 +33 6 12 34 56 78") == {"telephone": "06 12 34 56 78"}


# --- Actions ----------------------------------------------------------------------------------


def test_noter_un_passage_et_un_appel(monde, berthe):
	with as_user(monde.acc_a):
		passage = api.noter_passage(berthe.dossier.name, "accueil", "Apporte son avis d'imposition")
		appel = api.noter_passage(berthe.dossier.name, "telephone", "")
	doc = frappe.get_doc("Accompagnement", passage["name"])
	assert (doc.mode, doc.statut, doc.agent, str(doc.date)) == (
		"Accueil physique spontané",
		"Terminé",
		monde.acc_a,
		nowdate(),
	)
	assert doc.objet == "Apporte son avis d'imposition"
	assert doc.structure == monde.a and not doc.rendez_vous
	# The type of the person's latest accompaniment that is not an aid.
	assert [row.type_accompagnement for row in doc.types_accompagnement] == [monde.type_a]
	assert frappe.db.get_value("Accompagnement", appel["name"], "mode") == "Entretien téléphonique"
	assert passage["message"] == "Passage noté pour QUENOUILLE Berthe."


def test_noter_un_passage_refuse_en_francais(monde, berthe):
	nouveau = make_beneficiaire(monde.a, nom_usage="Quenouillet", prenoms="Céleste")
	with as_user(monde.acc_a):
		with pytest.raises(frappe.ValidationError, match="Mode : « visite » n'est pas possible ici"):
			api.noter_passage(berthe.dossier.name, "visite", "")
		with pytest.raises(frappe.ValidationError, match="Type d'accompagnement : choisissez-en un"):
			api.noter_passage(nouveau.name, "accueil", "")
		with pytest.raises(frappe.ValidationError, match="Note : 2000 caractères au plus"):
			api.noter_passage(berthe.dossier.name, "accueil", "x" * 2001)
		# A type of another structure is refused by the Accompagnement's own guard.
		with pytest.raises(HorsStructure):
			api.noter_passage(berthe.dossier.name, "accueil", "", type_accompagnement=monde.type_b)


def test_prendre_rendez_vous(monde, berthe):
	with as_user(monde.acc_a):
		reponse = api.prendre_rendez_vous(
			berthe.dossier.name,
			demain(3),
			"14:00",
			monde.ts_a,
			lieu="Permanence du marché",
			note="Dossier APA",
		)
	doc = frappe.get_doc("Accompagnement", reponse["name"])
	assert (doc.statut, doc.rendez_vous, str(doc.date), str(doc.heure), doc.agent, doc.lieu, doc.objet) == (
		"Planifié",
		1,
		demain(3),
		"14:00:00",
		monde.ts_a,
		"Permanence du marché",
		"Dossier APA",
	)
	assert doc.mode == "Accueil physique sur rendez-vous"
	assert reponse["message"].startswith(f"Rendez-vous pris le {getdate(demain(3)):%d/%m/%Y} à 14:00")
	# The result now shows the earlier of the two appointments.
	with as_user(monde.acc_a):
		r = resultat(api.chercher("quenouille"), berthe.dossier.name)
	assert r["prochain_rendez_vous"]["name"] == berthe.rdv.name


def test_rendez_vous_qui_chevauche_refuse(monde, berthe):
	"""The appointment of the day after tomorrow is at 10:30, without an end: one hour."""
	with as_user(monde.acc_a):
		with pytest.raises(ChevauchementRendezVous, match="a déjà un rendez-vous le .* de 10h30 à 11h30"):
			api.prendre_rendez_vous(berthe.dossier.name, demain(2), "11:00", monde.ts_a)
		with pytest.raises(ChevauchementRendezVous):
			api.prendre_rendez_vous(berthe.dossier.name, demain(2), "09:45", monde.ts_a, duree=60)
		# Right after it, or with another agent: free.
		api.prendre_rendez_vous(berthe.dossier.name, demain(2), "11:30", monde.ts_a)
		api.prendre_rendez_vous(berthe.dossier.name, demain(2), "10:30", monde.ts_a2)
	assert frappe.db.count("Accompagnement", {"beneficiaire": berthe.dossier.name, "statut": "Planifié"}) == 3


@pytest.mark.parametrize(
	"valeurs, message",
	[
		({"date": "demain"}, "Date : « demain » n'est pas une date (jj/mm/aaaa)."),
		({"date": "31/02/2030"}, "Date : « 31/02/2030 » n'est pas une date"),
		({"heure": "14h"}, "Heure : « 14h » n'est pas une heure (hh:mm)."),
		({"heure": "25:00"}, "Heure : « 25:00 » n'est pas une heure"),
		({"date": "2020-01-06"}, "Date : un rendez-vous ne se prend pas dans le passé (06/01/2020 à 14:00)."),
		({"mode": "Courrier"}, "Mode : « Courrier » n'est pas un mode de rendez-vous"),
		({"agent": "personne@nulle.part"}, "Agent : « personne@nulle.part » n'est pas un utilisateur actif."),
		({"duree": 0}, "Durée : « 0 » minutes n'est pas une durée."),
		(
			{"heure": "23:30", "duree": 60},
			"Durée (minutes) : le rendez-vous doit finir le jour où il commence",
		),
	],
)
def test_rendez_vous_mauvaises_entrees_en_francais(monde, berthe, valeurs, message):
	args = {"date": demain(4), "heure": "14:00", "agent": monde.ts_a, **valeurs}
	with as_user(monde.acc_a), pytest.raises(frappe.ValidationError) as erreur:
		api.prendre_rendez_vous(berthe.dossier.name, **args)
	assert message in str(erreur.value)


def test_rendez_vous_avec_un_agent_d_une_autre_structure_refuse(monde, berthe):
	with as_user(monde.acc_a), pytest.raises(HorsStructure):
		api.prendre_rendez_vous(berthe.dossier.name, demain(4), "14:00", monde.ts_b)


def test_laisser_un_message_au_referent(monde, berthe):
	with as_user(monde.acc_a):
		reponse = api.laisser_message(
			berthe.dossier.name, "Rappeler Mme Quenouille au sujet de la facture EDF"
		)
	rappel = frappe.get_doc("Rappel", reponse["name"])
	assert (
		rappel.assigne_a,
		str(rappel.date_echeance),
		rappel.statut,
		rappel.structure,
		rappel.beneficiaire,
	) == (
		monde.ts_a,
		nowdate(),
		"À faire",
		monde.a,
		berthe.dossier.name,
	)
	assert rappel.note == "Rappeler Mme Quenouille au sujet de la facture EDF"
	assert rappel.owner == monde.acc_a
	# In the référent's list of rappels.
	with as_user(monde.ts_a):
		assert rappel.name in frappe.get_list("Rappel", filters={"assigne_a": monde.ts_a}, pluck="name")


def test_message_au_remplacant_d_un_referent_absent(monde, berthe):
	absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	with as_user(monde.acc_a):
		reponse = api.laisser_message(berthe.dossier.name, "Mme Quenouille a rappelé")
	rappel = frappe.get_doc("Rappel", reponse["name"])
	assert rappel.assigne_a == monde.ts_a2
	assert rappel.note.startswith(
		f"Pour {get_fullname(monde.ts_a)} (absent·e), transmis à {get_fullname(monde.ts_a2)}"
	)
	assert reponse["message"] == (
		f"Message laissé à {get_fullname(monde.ts_a2)}, qui remplace {get_fullname(monde.ts_a)} (absent·e)."
	)


def test_message_sans_referent_au_responsable(monde):
	sans = make_beneficiaire(monde.a, nom_usage="Quenouillet", prenoms="Céleste")
	with (
		as_user(monde.acc_a),
		pytest.raises(frappe.ValidationError, match="personne ne peut recevoir le message"),
	):
		api.laisser_message(sans.name, "Bonjour")
	structure = frappe.get_doc("Structure", monde.a)
	structure.append("responsables", {"user": monde.resp_a})
	structure.save(ignore_permissions=True)
	with as_user(monde.acc_a):
		reponse = api.laisser_message(sans.name, "Bonjour")
	assert reponse["assigne_a"] == monde.resp_a


def test_message_mauvaises_entrees_en_francais(monde, berthe):
	with as_user(monde.acc_a):
		with pytest.raises(frappe.ValidationError, match="Message : écrivez le message à transmettre."):
			api.laisser_message(berthe.dossier.name, "   ")
		with pytest.raises(frappe.ValidationError, match="n'est pas référent de ce dossier"):
			api.laisser_message(berthe.dossier.name, "Bonjour", destinataire=monde.ts_a2)


# --- Structure isolation ----------------------------------------------------------------------


def test_l_accueil_de_a_ne_trouve_pas_les_dossiers_de_b(monde):
	with as_user(monde.acc_a):
		noms = [r["name"] for r in api.chercher("bernard jean")["resultats"]]
		noms += [r["name"] for r in api.chercher(monde.ben_b.name)["resultats"]]
	assert monde.ben_b.name not in noms
	with as_user(monde.ts_b):
		assert monde.ben_b.name in [r["name"] for r in api.chercher("bernard jean")["resultats"]]


def test_enrichir_ne_lit_que_les_dossiers_permis(monde):
	"""Even given another structure's file by the engine, the page shows nothing of it."""
	with as_user(monde.acc_a):
		assert api.enrichir([frappe._dict(name=monde.ben_b.name, score=1, exacte=True)]) == []


@pytest.mark.parametrize(
	"action, args",
	[
		("noter_passage", {"mode": "accueil", "note": "x", "type_accompagnement": None}),
		("prendre_rendez_vous", {"date": "2030-01-07", "heure": "09:00", "agent": "ts-b@test.fr"}),
		("laisser_message", {"message": "Bonjour"}),
	],
)
@pytest.mark.parametrize("dossier", ["autre_structure", "inexistant"])
def test_aucune_action_sur_un_dossier_d_une_autre_structure(monde, action, args, dossier):
	name = monde.ben_b.name if dossier == "autre_structure" else "TA-99999"
	avant = (frappe.db.count("Accompagnement"), frappe.db.count("Rappel"))
	with as_user(monde.acc_a), pytest.raises(DossierInaccessible) as erreur:
		getattr(api, action)(name, **args)
	# The same words whether the file exists elsewhere or not at all.
	assert str(erreur.value) == f"Le dossier {name} n'existe pas ou ne vous est pas accessible."
	assert (frappe.db.count("Accompagnement"), frappe.db.count("Rappel")) == avant


# --- Login and page ---------------------------------------------------------------------------


@pytest.mark.parametrize("qui, attendu", [("acc_a", PAGE_ACCUEIL), ("ts_a", "/app"), ("resp_a", "/app")])
def test_l_agent_d_accueil_arrive_sur_l_accueil(monde, qui, attendu):
	user = getattr(monde, qui)
	ancienne = frappe.local.response
	frappe.local.response = frappe._dict(message="Logged In", home_page="/app")
	try:
		diriger_vers_l_accueil(frappe._dict(user=user))
		assert frappe.local.response.home_page == attendu
	finally:
		frappe.local.response = ancienne


@pytest.mark.parametrize("qui", ["acc_a", "ts_a", "resp_a"])
def test_page_ouverte_a_chaque_role(monde, qui):
	from frappe.desk.desk_page import get

	with as_user(getattr(monde, qui)):
		assert get("accueil").title == "Accueil"


def test_page_fermee_sans_role_de_l_application(monde):
	from frappe.desk.desk_page import get

	from tests.factories import make_user

	sans_role = make_user("sans-role@test.fr", "Blogger")
	with as_user(sans_role), pytest.raises(frappe.PermissionError):
		get("accueil")


# --- Over HTTP --------------------------------------------------------------------------------

CHEMIN = "/api/method/suivi_social.accueil.api."


@pytest.fixture(scope="module")
def jetons(_monde):
	from tests.factories import jeton_api

	return {user: jeton_api(user) for user in (_monde.acc_a, _monde.ts_a)}


def test_http_json_de_l_accueil_sans_montant(monde, jetons):
	"""The committed file of A (an aid of 300 €, « Secret A » in its report), as the page gets it."""
	from tests.securite.test_http import get

	accueil = get(jetons[monde.acc_a], CHEMIN + "chercher", texte=monde.ben_a.name)
	assert accueil.status_code == 200, accueil.json
	(r,) = accueil.json["message"]["resultats"]
	assert r["demandes"] and r["name"] == monde.ben_a.name
	assert "montant" not in accueil.text and "Secret A" not in accueil.text
	travailleur = get(jetons[monde.ts_a], CHEMIN + "chercher", texte=monde.ben_a.name)
	assert "montant_demande" in travailleur.text


@pytest.mark.parametrize("methode", ["noter_passage", "prendre_rendez_vous", "laisser_message"])
def test_http_ecritures_refusees_en_get(monde, jetons, methode):
	from tests.securite.test_http import get

	avant = (frappe.db.count("Accompagnement"), frappe.db.count("Rappel"))
	r = get(
		jetons[monde.acc_a],
		CHEMIN + methode,
		beneficiaire=monde.ben_a.name,
		mode="accueil",
		note="x",
		message="x",
		date=demain(6),
		heure="09:00",
		agent=monde.ts_a,
		type_accompagnement=monde.type_a,
	)
	assert r.status_code == 403
	frappe.db.rollback()
	assert (frappe.db.count("Accompagnement"), frappe.db.count("Rappel")) == avant


def test_http_message_sur_un_dossier_d_une_autre_structure(monde, jetons):
	from tests.securite.test_http import post

	avant = frappe.db.count("Rappel")
	r = post(jetons[monde.acc_a], CHEMIN + "laisser_message", beneficiaire=monde.ben_b.name, message="x")
	assert r.status_code == 403
	assert f"Le dossier {monde.ben_b.name} n'existe pas ou ne vous est pas accessible." in r.json["exception"]
	frappe.db.rollback()
	assert frappe.db.count("Rappel") == avant


def test_http_passage_en_post(monde, jetons):
	"""The POST the page sends goes through (so the refusals above are the rules', not a broken
	route); what it committed is deleted."""
	from tests.securite.test_http import post

	r = post(
		jetons[monde.acc_a],
		CHEMIN + "noter_passage",
		beneficiaire=monde.ben_a.name,
		mode="telephone",
		note="Test HTTP",
		type_accompagnement=monde.type_a,
	)
	try:
		assert r.status_code == 200, r.json
	finally:
		frappe.db.rollback()
		if name := (r.json.get("message") or {}).get("name"):
			frappe.delete_doc("Accompagnement", name, force=True, ignore_permissions=True)
			frappe.db.commit()


def test_http_parametres_types_et_obligatoires_en_francais(monde, jetons):
	from tests.securite.test_http import post

	r = post(jetons[monde.acc_a], CHEMIN + "chercher", texte="martin", archives="peut-être")
	assert r.status_code == 417
	assert "Paramètre « archives » : valeur invalide" in r.json["exception"]
	r = post(jetons[monde.acc_a], CHEMIN + "noter_passage", beneficiaire=monde.ben_a.name)
	assert r.status_code == 417
	assert "Paramètre manquant : « mode »" in r.json["exception"]
