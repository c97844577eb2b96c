"""Frappe methods that read or write any record without checking it (overrides.py, end of file):
each answers a user of A about B's files as about files that do not exist. Found by the second
review of the sweep's Frappe methods (methodes_frappe.txt); the sweep's existence probe
(test_balayage.py::test_ni_compte_ni_existence_de_b) now looks for the same kind of answer on
every method."""

import frappe
import pytest

from tests.conftest import as_user
from tests.securite.test_tracabilite import appeler


def test_compteur_d_etats_limite_a_la_structure(monde):
	"""get_workflow_state_count grouped every structure's records on any column (get_all)."""
	with as_user(monde.resp_a):
		noms = appeler(
			"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
			doctype="Beneficiaire",
			workflow_state_field="nom_usage",
			states="[]",
		)
		assert "Martin" in {r["nom_usage"] for r in noms}
		assert "Bernard" not in {r["nom_usage"] for r in noms}
		structures = appeler(
			"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
			doctype="Beneficiaire",
			workflow_state_field="structure",
			states="[]",
		)
		assert {r["structure"] for r in structures} == {monde.a}
	with as_user(monde.acc_a), pytest.raises(frappe.PermissionError):
		# A field the Agent d'accueil may not read is not counted by value (frappe_fixes, fix 2).
		appeler(
			"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
			doctype="Beneficiaire",
			workflow_state_field="sante_informations",
			states="[]",
		)


def test_validate_link_ne_dit_pas_qu_un_dossier_de_b_existe(monde):
	with as_user(monde.resp_a):
		absent = appeler("frappe.client.validate_link", doctype="Beneficiaire", docname="TB-99999")
		assert (
			appeler("frappe.client.validate_link", doctype="Beneficiaire", docname=monde.ben_b.name) == absent
		)
		assert absent.get("name") is None
		assert (
			appeler("frappe.client.validate_link", doctype="Beneficiaire", docname=monde.ben_a.name)["name"]
			== monde.ben_a.name
		)
		# The agents' Link fields (to User) still validate.
		assert (
			appeler("frappe.client.validate_link", doctype="User", docname=monde.ts_a2)["name"] == monde.ts_a2
		)


def test_ni_abonnes_ni_mention_j_aime_sur_un_dossier_de_b(monde):
	frappe.get_doc(
		{
			"doctype": "Document Follow",
			"ref_doctype": "Beneficiaire",
			"ref_docname": monde.ben_b.name,
			"user": monde.ts_b,
		}
	).insert(ignore_permissions=True)
	with as_user(monde.resp_a):
		assert (
			appeler(
				"frappe.desk.form.document_follow.get_follow_users",
				doctype="Beneficiaire",
				doc_name=monde.ben_b.name,
			)
			== []
		)
		with pytest.raises(frappe.PermissionError):
			appeler("frappe.desk.like.toggle_like", doctype="Beneficiaire", name=monde.ben_b.name, add="Yes")
		# Frappe took the follower from the request: A unfollowed B's agent, and learnt they followed.
		for cmd in ("unfollow_document", "follow_document"):
			for suiveur in (monde.ts_b, monde.resp_a):
				with pytest.raises(frappe.PermissionError):
					appeler(
						f"frappe.desk.form.document_follow.{cmd}",
						doctype="Beneficiaire",
						doc_name=monde.ben_b.name,
						user=suiveur,
					)
	assert frappe.db.exists("Document Follow", {"ref_docname": monde.ben_b.name, "user": monde.ts_b})
	assert not frappe.db.get_value("Beneficiaire", monde.ben_b.name, "_liked_by")
	assert not frappe.db.exists("Comment", {"reference_name": monde.ben_b.name, "comment_type": "Like"})
	with as_user(monde.ts_b):
		assert appeler(
			"frappe.desk.form.document_follow.get_follow_users",
			doctype="Beneficiaire",
			doc_name=monde.ben_b.name,
		) == [{"user": monde.ts_b}]


def test_evenements_prives_d_un_autre_agent(monde):
	"""Frappe's Event calendar took the user whose private events it lists from the request."""
	with as_user(monde.ts_b):
		frappe.get_doc(
			{
				"doctype": "Event",
				"subject": "Visite Mme Bernard",
				"starts_on": "2026-12-02 10:00:00",
				"event_type": "Private",
			}
		).insert()
	periode = {"start": "2026-12-01", "end": "2026-12-03"}
	with as_user(monde.resp_a):
		sujets = appeler("frappe.desk.doctype.event.event.get_events", user=monde.ts_b, **periode)
		assert "Visite Mme Bernard" not in [e.subject for e in sujets]
	with as_user(monde.ts_b):
		sujets = appeler("frappe.desk.doctype.event.event.get_events", **periode)
		assert "Visite Mme Bernard" in [e.subject for e in sujets]


def test_pas_de_rattachement_d_un_courriel_de_b(monde):
	"""frappe.email.relink rewrote any Communication's link with raw SQL, unchecked."""
	courriel = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"subject": "Courrier de Mme Bernard",
			"reference_doctype": "Beneficiaire",
			"reference_name": monde.ben_b.name,
		}
	).insert(ignore_permissions=True)
	with as_user(monde.resp_a), pytest.raises(frappe.PermissionError):
		appeler(
			"frappe.email.relink",
			name=courriel.name,
			reference_doctype="Beneficiaire",
			reference_name=monde.ben_a.name,
		)
	assert frappe.db.get_value("Communication", courriel.name, "reference_name") == monde.ben_b.name


def test_connexions_sans_compte_rendu_prive_d_un_collegue(monde):
	"""The form's « Connexions » counted the linked records with get_all (frappe_fixes, fix 9)."""
	with as_user(monde.ts_a2):
		frappe.get_doc(
			{"doctype": "Compte Rendu Prive", "accompagnement": monde.acc_ben_a, "texte": "Entretien"}
		).insert()

	def comptes() -> dict[str, int]:
		reponse = appeler(
			"frappe.desk.notifications.get_open_count", doctype="Accompagnement", name=monde.acc_ben_a
		)
		return {d["doctype"]: d["count"] for d in reponse["count"]["external_links_found"]}

	with as_user(monde.ts_a):
		assert comptes()["Compte Rendu Prive"] == 0
	with as_user(monde.ts_a2):
		assert comptes()["Compte Rendu Prive"] == 1
