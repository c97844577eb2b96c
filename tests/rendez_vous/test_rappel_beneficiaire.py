"""The reminder sent to the beneficiary the day before an appointment (dossiers/rendez_vous.py
envoyer_rappels_beneficiaires, a cron job of hooks.py): only with the person's recorded consent, per
channel, only their own appointment, with date, time, place and structure but nothing confidential,
once. The clock is fixed: the job reads it through the module's `now_datetime`."""

import email
from datetime import datetime
from email import policy
from unittest.mock import patch

import frappe
import pytest

from suivi_social.dossiers.rendez_vous import envoyer_rappels_beneficiaires
from suivi_social.exceptions import DonneeInvalide
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_beneficiaire
from tests.rendez_vous.outils import recharger

# Fixed clock: Sunday 9 March 2031 at 17:00; the appointments are on Monday 10 March 2031.
MAINTENANT = datetime(2031, 3, 9, 17, 0)
DEMAIN = "2031-03-10"
ENVOI_SMS = "frappe.core.doctype.sms_settings.sms_settings.send_sms"


def lancer():
	"""The scheduler's call (no argument), at the fixed time."""
	with patch("suivi_social.dossiers.rendez_vous.now_datetime", return_value=MAINTENANT):
		return envoyer_rappels_beneficiaires()


@pytest.fixture
def sms_configure():
	frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "https://sms.example.invalid/send")
	with patch(ENVOI_SMS) as send_sms:
		yield send_sms


def personne(structure, nom, **valeurs):
	return make_beneficiaire(structure, nom_usage=nom, prenoms="Test", date_naissance="1970-02-02", **valeurs)


def rdv(monde, beneficiaire, heure="10:30:00", date=DEMAIN, b=False, **extra):
	valeurs = {"mode": "Accueil physique sur rendez-vous", "statut": "Planifié", **extra}
	agent = monde.ts_b if b else monde.ts_a
	typologie = monde.type_b if b else monde.type_a
	return make_accompagnement(beneficiaire.name, typologie, agent, date=date, heure=heure, **valeurs)


def courriels(reference: str) -> list[tuple[list[str], str, str]]:
	"""(recipients, subject, plain text) of the Email Queue rows of this appointment."""
	resultat = []
	for q in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Accompagnement", "reference_name": reference},
		pluck="name",
	):
		doc = frappe.get_doc("Email Queue", q)
		mail = email.message_from_string(doc.message, policy=policy.default)
		texte = " ".join(
			part.get_content()
			for part in mail.walk()
			if part.get_content_type() in ("text/plain", "text/html")
		)
		resultat.append(([r.recipient for r in doc.recipients], str(mail["Subject"]), texte))
	return resultat


@pytest.fixture
def personnes(monde):
	return frappe._dict(
		sms=personne(monde.a, "Sms", telephone="06 12 34 56 78", consentement_rappel_sms=1),
		courriel=personne(monde.a, "Courriel", email="courriel@exemple.fr", consentement_rappel_email=1),
		sans=personne(monde.a, "Sans", telephone="06 98 76 54 32", email="sans@exemple.fr"),
		b=personne(monde.b, "Autre", email="autre@exemple.fr", consentement_rappel_email=1),
	)


def test_rappel_seulement_avec_consentement_et_une_fois(monde, personnes, sms_configure, messagerie):
	secret = "<p>Dettes de loyer, ne pas divulguer</p>"
	par_sms = rdv(monde, personnes.sms, compte_rendu=secret, lieu="Bureau 2")
	par_courriel = rdv(monde, personnes.courriel, heure="14:00:00", compte_rendu=secret)
	sans_consentement = rdv(monde, personnes.sans, heure="16:00:00")
	autre_structure = rdv(monde, personnes.b, heure="09:00:00", b=True)
	apres_demain = rdv(monde, personnes.sms, date="2031-03-11", heure="09:00:00")

	envoyes = lancer()

	assert sorted(envoyes) == sorted(
		[(par_sms.name, "SMS"), (par_courriel.name, "e-mail"), (autre_structure.name, "e-mail")]
	)
	# SMS: one, to the consenting person's mobile, with date, time, place and structure.
	sms_configure.assert_called_once()
	(numeros, message), kwargs = sms_configure.call_args
	assert numeros == ["+33612345678"]
	assert (
		message == "CCAS Test A : rappel de votre rendez-vous demain, lundi 10 mars 2031 à 10h30, Bureau 2."
	)
	assert kwargs == {"success_msg": False}
	# E-mail: one per consenting person, only their appointment.
	((destinataires, sujet, texte),) = courriels(par_courriel.name)
	assert destinataires == ["courriel@exemple.fr"]
	assert sujet == "Rappel de votre rendez-vous du lundi 10 mars 2031"
	assert "lundi 10 mars 2031 à 14h00" in texte and "CCAS Test A" in texte
	((destinataires, _sujet, texte_b),) = courriels(autre_structure.name)
	assert destinataires == ["autre@exemple.fr"] and "CCAS Test B" in texte_b and "14h00" not in texte_b
	# Nothing confidential: no note, no typology, no agent.
	nom_type = frappe.db.get_value("Type Accompagnement", monde.type_a, "nom")
	for contenu in (message, texte):
		assert "loyer" not in contenu and nom_type not in contenu and "ts-a" not in contenu
	# Without consent, or not tomorrow: nothing.
	assert courriels(sans_consentement.name) == [] and courriels(apres_demain.name) == []
	assert not recharger(sans_consentement).rappel_beneficiaire_envoye
	assert recharger(par_sms).rappel_beneficiaire_envoye == MAINTENANT

	# A second run the same day sends nothing twice.
	sms_configure.reset_mock()
	assert lancer() == []
	sms_configure.assert_not_called()
	assert len(courriels(par_courriel.name)) == 1


def test_sans_reglages_sms_rien_ne_casse(monde, personnes, messagerie):
	frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "")
	par_sms = rdv(monde, personnes.sms)
	par_courriel = rdv(monde, personnes.courriel, heure="14:00:00")
	with patch(ENVOI_SMS) as send_sms:
		assert lancer() == [(par_courriel.name, "e-mail")]
	send_sms.assert_not_called()
	# Not stamped: sent once the gateway is configured, at a later run of the day.
	assert not recharger(par_sms).rappel_beneficiaire_envoye
	with patch(ENVOI_SMS) as send_sms:
		frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "https://sms.example.invalid/send")
		assert lancer() == [(par_sms.name, "SMS")]


def test_une_passerelle_en_erreur_n_arrete_pas_les_autres(monde, personnes, messagerie):
	frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "https://sms.example.invalid/send")
	par_sms = rdv(monde, personnes.sms)
	par_courriel = rdv(monde, personnes.courriel, heure="14:00:00")
	with patch(ENVOI_SMS, side_effect=ConnectionError("passerelle injoignable")):
		assert lancer() == [(par_courriel.name, "e-mail")]
	assert not recharger(par_sms).rappel_beneficiaire_envoye


def test_annule_decede_et_deplace(monde, personnes, sms_configure, messagerie):
	annule = rdv(monde, personnes.courriel, statut="Annulé")
	deplace = rdv(monde, personnes.sms, heure="11:00:00")
	assert lancer() == [(deplace.name, "SMS")]
	assert courriels(annule.name) == []
	# Moved to another day: the reminder of the new date will go out.
	with as_user(monde.ts_a):
		doc = recharger(deplace)
		doc.date = "2031-03-12"
		doc.save()
	assert not recharger(deplace).rappel_beneficiaire_envoye
	# A deceased person is never reminded.
	frappe.db.set_value("Beneficiaire", personnes.courriel.name, "date_deces", "2026-01-01")
	rdv(monde, personnes.courriel, heure="15:00:00")
	sms_configure.reset_mock()
	assert lancer() == []


def test_sans_compte_de_messagerie_rien_ne_casse(monde, personnes, sms_configure):
	frappe.local.outgoing_email_account = {}
	par_courriel = rdv(monde, personnes.courriel, heure="14:00:00")
	par_sms = rdv(monde, personnes.sms)
	assert lancer() == [(par_sms.name, "SMS")]
	assert courriels(par_courriel.name) == []
	assert not recharger(par_courriel).rappel_beneficiaire_envoye


def test_consentement_date_et_moyen_de_contact(monde):
	with as_user(monde.acc_a):
		doc = frappe.get_doc(
			{
				"doctype": "Beneficiaire",
				"structure": monde.a,
				"nom_usage": "Consent",
				"prenoms": "Ana",
				"date_naissance": "1980-01-01",
				"telephone": "04 72 00 00 00",
				"consentement_rappel_sms": 1,
			}
		)
		with pytest.raises(DonneeInvalide, match="suppose un numéro de téléphone portable"):
			doc.insert()
		doc.telephone_2 = "07 61 23 45 67"
		doc.insert()
		assert str(doc.date_consentement_sms) == frappe.utils.today()
		doc = recharger(doc)
		doc.consentement_rappel_email = 1
		with pytest.raises(DonneeInvalide, match="suppose une adresse e-mail"):
			doc.save()
		doc = recharger(doc)
		doc.consentement_rappel_sms = 0
		doc.save()
		assert doc.date_consentement_sms is None
