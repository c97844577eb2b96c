"""The appointments' calendar (dossiers/rendez_vous.py, accompagnement_calendar.js): events isolated
by structure, without confidential content, filtered by agent; moving them permission-checked and
refused onto a slot the agent already has."""

import json

import frappe
import pytest
from frappe.utils import get_datetime

from suivi_social.dossiers import rendez_vous as rdv_module
from suivi_social.dossiers.rendez_vous import chevauchement, couleur_stable, deplacer, evenements
from suivi_social.exceptions import ChevauchementRendezVous, DonneeInvalide
from suivi_social.roles import ADMINISTRATEUR
from tests.conftest import as_user
from tests.factories import make_user
from tests.rendez_vous.outils import jour, recharger, rendez_vous

CLES_EVENEMENT = {"name", "debut", "fin", "journee", "titre", "couleur", "tooltip", "statut"}


def voir(user: str, debut: int = 0, fin: int = 14, **kwargs) -> list[dict]:
	with as_user(user):
		return evenements("Accompagnement", jour(debut), jour(fin), **kwargs)


def bouger(user: str, doc, debut: str, fin: str | None = None, journee: int = 0):
	args = {"doctype": "Accompagnement", "name": doc.name, "debut": debut, "fin": fin, "journee": journee}
	with as_user(user):
		return deplacer(json.dumps(args), json.dumps({"start": "debut", "end": "fin"}))


# --- Events -------------------------------------------------------------------------------------


def test_chaque_structure_ne_voit_que_ses_rendez_vous(monde):
	a = rendez_vous(monde, monde.ts_a, jour(3), "10:00:00")
	b = rendez_vous(monde, monde.ts_b, jour(3), "10:00:00", b=True)
	for user in (monde.ts_a, monde.resp_a, monde.acc_a):
		noms = {e["name"] for e in voir(user)}
		assert a.name in noms and b.name not in noms, user
	assert {e["name"] for e in voir(monde.ts_b)} >= {b.name}
	assert a.name not in {e["name"] for e in voir(monde.ts_b)}


def test_un_evenement_sans_champ_confidentiel_pour_l_accueil(monde):
	a = rendez_vous(
		monde,
		monde.ts_a,
		jour(2),
		"14:00:00",
		45,
		compte_rendu="<p>Secret du rendez-vous</p>",
		lieu="Bureau 2",
	)
	# `fields` is what Frappe's calendar may send: never honoured.
	(evenement,) = (
		e for e in voir(monde.acc_a, fields=["compte_rendu", "montant_demande"]) if e["name"] == a.name
	)
	assert set(evenement) == CLES_EVENEMENT
	texte = json.dumps(evenement, ensure_ascii=False)
	assert "Secret" not in texte
	# The typology shows as a colour only: its name is not in the title nor in the tooltip.
	assert frappe.db.get_value("Type Accompagnement", monde.type_a, "nom") not in texte
	assert evenement["titre"] == "MARTIN Léa · ts-a"
	assert (
		evenement["tooltip"]
		== "14h00–14h45 · MARTIN Léa · ts-a · Accueil physique sur rendez-vous · Bureau 2"
	)
	assert (evenement["debut"], evenement["fin"], evenement["journee"]) == (
		f"{jour(2)} 14:00:00",
		f"{jour(2)} 14:45:00",
		0,
	)


def test_un_filtre_sur_un_champ_confidentiel_est_refuse(monde):
	rendez_vous(monde, monde.ts_a, jour(2), "14:00:00", compte_rendu="<p>Secret</p>")
	filtre = [["Accompagnement", "compte_rendu", "like", "%Secret%"]]
	with pytest.raises(frappe.PermissionError, match="compte rendu|Compte rendu"):
		voir(monde.acc_a, filters=json.dumps(filtre))
	# The travailleur social reads it, so may filter on it.
	assert voir(monde.ts_a, filters=json.dumps(filtre))


def test_filtre_par_agent_et_par_structure(monde):
	mien = rendez_vous(monde, monde.ts_a, jour(4), "09:00:00")
	collegue = rendez_vous(monde, monde.ts_a2, jour(4), "09:00:00")
	par_agent = voir(monde.resp_a, filters=json.dumps([["Accompagnement", "agent", "=", monde.ts_a]]))
	assert mien.name in {e["name"] for e in par_agent}
	assert collegue.name not in {e["name"] for e in par_agent}
	# The structure filter of another structure empties the calendar, it does not open it.
	assert voir(monde.resp_a, filters=json.dumps({"structure": monde.b})) == []
	assert {mien.name, collegue.name} <= {
		e["name"] for e in voir(monde.resp_a, filters={"structure": monde.a})
	}


def test_les_rendez_vous_annules_et_les_autres_accompagnements_n_y_sont_pas(monde):
	annule = rendez_vous(monde, monde.ts_a, jour(5), "11:00:00")
	with as_user(monde.ts_a):
		doc = recharger(annule)
		doc.issue_rendez_vous = "Annulé"
		doc.save()
	noms = {e["name"] for e in voir(monde.ts_a)}
	assert annule.name not in noms
	assert monde.acc_ben_a not in {e["name"] for e in voir(monde.ts_a, -3650, 3650)}  # not an appointment


def test_couleur_de_la_typologie(monde):
	a = rendez_vous(monde, monde.ts_a, jour(6), "10:00:00")
	(e,) = (e for e in voir(monde.ts_a) if e["name"] == a.name)
	assert e["couleur"] == couleur_stable(monde.type_a) and e["couleur"] in rdv_module.PALETTE
	frappe.db.set_value("Type Accompagnement", monde.type_a, "couleur", "#FF8800")
	(e,) = (e for e in voir(monde.ts_a) if e["name"] == a.name)
	assert e["couleur"] == "#FF8800"


def test_seul_le_calendrier_des_accompagnements(monde):
	with pytest.raises(frappe.PermissionError):
		with as_user(monde.ts_a):
			evenements("Beneficiaire", jour(0), jour(7))


# --- Moving ------------------------------------------------------------------------------------


def test_l_accueil_deplace_un_rendez_vous(monde):
	"""The Agent d'accueil writes Accompagnement (role permission): they move appointments."""
	a = rendez_vous(monde, monde.ts_a, jour(3), "10:00:00")
	bouger(monde.acc_a, a, f"{jour(4)} 15:30:00", f"{jour(4)} 16:00:00")
	a = recharger(a)
	assert (str(a.date), str(a.heure), a.duree, a.statut) == (jour(4), "15:30:00", 30, "Planifié")
	# The file's next appointment follows.
	assert frappe.db.get_value("Beneficiaire", monde.ben_a.name, "prochain_rendez_vous") <= get_datetime(
		f"{jour(4)} 15:30:00"
	)


@pytest.mark.parametrize("qui", ["ts_b", "resp_b", "admin"])
def test_deplacer_sans_droit_d_ecriture_est_refuse(monde, qui):
	"""Another structure's agents, and the platform administrator (reads all, writes none)."""
	user = make_user("admin-suivi@test.fr", ADMINISTRATEUR) if qui == "admin" else getattr(monde, qui)
	a = rendez_vous(monde, monde.ts_a, jour(3), "10:00:00")
	with pytest.raises(frappe.PermissionError):
		bouger(user, a, f"{jour(4)} 15:30:00", f"{jour(4)} 16:30:00")
	assert (str(recharger(a).date), str(recharger(a).heure)) == (jour(3), "10:00:00")


def test_deplacer_sur_un_creneau_deja_pris_est_refuse(monde):
	premier = rendez_vous(monde, monde.ts_a, jour(3), "10:00:00", 60)
	second = rendez_vous(monde, monde.ts_a, jour(3), "14:00:00", 60)
	with pytest.raises(ChevauchementRendezVous, match="ts-a a déjà un rendez-vous le .* de 10h00 à 11h00"):
		bouger(monde.acc_a, second, f"{jour(3)} 10:30:00", f"{jour(3)} 11:30:00")
	assert str(recharger(second).heure) == "14:00:00"
	# Right after it is free; so is the same slot for a colleague.
	bouger(monde.acc_a, second, f"{jour(3)} 11:00:00", f"{jour(3)} 12:00:00")
	assert str(recharger(second).heure) == "11:00:00"
	autre = rendez_vous(monde, monde.ts_a2, jour(3), "15:00:00")
	bouger(monde.acc_a, autre, f"{jour(3)} 10:00:00", f"{jour(3)} 11:00:00")
	# A resize onto the next appointment is a move too.
	with pytest.raises(ChevauchementRendezVous):
		bouger(monde.ts_a, premier, f"{jour(3)} 10:00:00", f"{jour(3)} 11:30:00")


def test_creer_un_rendez_vous_qui_chevauche_est_refuse(monde):
	rendez_vous(monde, monde.ts_a, jour(8), "09:00:00", 90)
	with as_user(monde.acc_a):
		doc = frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": monde.ben_a.name,
				"types_accompagnement": [{"type_accompagnement": monde.type_a}],
				"date": jour(8),
				"heure": "10:00:00",
				"mode": "Accueil physique sur rendez-vous",
				"statut": "Planifié",
				"agent": monde.ts_a,
			}
		)
		with pytest.raises(ChevauchementRendezVous):
			doc.insert()
		doc.heure = "10:30:00"
		doc.insert()


def test_on_ne_deplace_ni_dans_le_passe_ni_un_rendez_vous_passe(monde):
	a = rendez_vous(monde, monde.ts_a, jour(3), "10:00:00")
	with pytest.raises(DonneeInvalide, match="dans le passé"):
		bouger(monde.ts_a, a, f"{jour(-2)} 10:00:00", f"{jour(-2)} 11:00:00")
	with pytest.raises(DonneeInvalide, match="doit finir le jour où il commence"):
		bouger(monde.ts_a, a, f"{jour(4)} 23:30:00", f"{jour(5)} 00:30:00")
	tenu = rendez_vous(monde, monde.ts_a, jour(-1), "10:00:00", issue_rendez_vous="Honoré")
	assert tenu.statut == "Terminé"
	with pytest.raises(DonneeInvalide, match="seul un rendez-vous planifié"):
		bouger(monde.ts_a, tenu, f"{jour(4)} 10:00:00", f"{jour(4)} 11:00:00")


def test_deplacer_en_journee_entiere(monde):
	a = rendez_vous(monde, monde.ts_a, jour(3), "10:00:00", mode="Visite à domicile")
	bouger(monde.ts_a, a, f"{jour(5)} 00:00:00", f"{jour(5)} 23:59:59", journee=1)
	a = recharger(a)
	assert (str(a.date), a.heure or None) == (jour(5), None)
	(e,) = (e for e in voir(monde.ts_a) if e["name"] == a.name)
	assert e["journee"] == 1


# --- The overlap rule --------------------------------------------------------------------------


def test_chevauchement(monde):
	a = rendez_vous(monde, monde.ts_a, jour(9), "10:00:00", 30)
	d = f"{jour(9)} "
	assert chevauchement(monde.ts_a, d + "10:15:00", d + "10:45:00").name == a.name
	assert chevauchement(monde.ts_a, d + "09:00:00", d + "12:00:00").name == a.name
	assert chevauchement(monde.ts_a, d + "10:30:00", d + "11:00:00") is None  # ends at 10:30
	assert chevauchement(monde.ts_a, d + "09:30:00", d + "10:00:00") is None
	assert chevauchement(monde.ts_a, d + "10:15:00", d + "10:45:00", exclure=a.name) is None
	assert chevauchement(monde.ts_a2, d + "10:15:00", d + "10:45:00") is None
	# Without a length, one hour.
	b = rendez_vous(monde, monde.ts_a2, jour(9), "14:00:00")
	assert chevauchement(monde.ts_a2, d + "14:50:00", d + "15:10:00").name == b.name
	found = chevauchement(monde.ts_a2, d + "14:50:00", d + "15:10:00")
	assert (found.debut, found.fin) == (get_datetime(d + "14:00:00"), get_datetime(d + "15:00:00"))
	with as_user(monde.ts_a2):
		doc = recharger(b)
		doc.statut = "Annulé"
		doc.save()
	assert chevauchement(monde.ts_a2, d + "14:50:00", d + "15:10:00") is None


# --- Over HTTP ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cle_accueil(_monde):
	from tests.factories import jeton_api

	return jeton_api(_monde.acc_a)


def test_http_filtre_confidentiel_refuse(monde, cle_accueil):
	from tests.securite.test_http import get

	r = get(
		cle_accueil,
		"/api/method/suivi_social.dossiers.rendez_vous.evenements",
		doctype="Accompagnement",
		start="2020-01-01",
		end="2030-01-01",
		filters=[["Accompagnement", "compte_rendu", "like", "%Secret%"]],
	)
	assert r.status_code == 403
	assert "Filtre refusé : vous n'avez pas accès au champ « Compte rendu »" in r.json["exception"]


def test_http_deplacer_seulement_en_post_et_dans_sa_structure(monde, cle_accueil):
	from tests.securite.test_http import get, post

	args = {"doctype": "Accompagnement", "name": monde.acc_ben_b, "debut": f"{jour(5)} 10:00:00"}
	assert frappe.allowed_http_methods_for_whitelisted_func[deplacer] == ["POST"]
	assert (
		get(cle_accueil, "/api/method/suivi_social.dossiers.rendez_vous.deplacer", args=args).status_code
		== 403
	)
	r = post(cle_accueil, "/api/method/suivi_social.dossiers.rendez_vous.deplacer", args=args)
	assert r.status_code == 403
	assert str(frappe.db.get_value("Accompagnement", monde.acc_ben_b, "date")) != jour(5)
