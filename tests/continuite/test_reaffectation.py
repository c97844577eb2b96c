"""Bulk reassignment of a leaving agent's work (continuite/reaffectation.py): preview, execution,
audit, one transaction, isolation between structures, refusals, POST only."""

from unittest.mock import patch

import frappe
import pytest
from frappe.desk.form import assign_to

from suivi_social.api.equipe import EquipeRefusee
from suivi_social.continuite.reaffectation import ReaffectationRefusee, apercu, reaffecter
from suivi_social.roles import AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.continuite.outils import jour
from tests.factories import make_accompagnement, make_beneficiaire, make_user
from tests.securite.test_http import cles, get, post  # cles: a fixture, used by name

PARTANT = "depart-ab@test.fr"


@pytest.fixture(scope="session")
def equipe(_monde):
	"""The users of these tests, created once and committed (idempotent), as the world's."""
	e = frappe._dict(
		partant=make_user(PARTANT, TRAVAILLEUR_SOCIAL, structures=(_monde.a, _monde.b)),
		accueil=make_user("acc2-a@test.fr", AGENT_ACCUEIL, structures=(_monde.a,)),
		inactif=make_user("inactif-a@test.fr", TRAVAILLEUR_SOCIAL, structures=(_monde.a,)),
		sans_role=make_user("sans-role-a@test.fr", structures=(_monde.a,)),
		# A Responsable of both structures: only the structure named in the call changes.
		resp_ab=make_user("resp-ab@test.fr", RESPONSABLE, structures=(_monde.a, _monde.b)),
	)
	frappe.db.set_value("User", e.inactif, "enabled", 0)
	frappe.db.commit()
	return e


@pytest.fixture
def travail(monde, equipe, messagerie):
	"""The leaving social worker's work in A and B; rolled back after each test."""
	partant = equipe.partant
	t = frappe._dict(partant=partant)
	t.dossier = make_beneficiaire(
		monde.a, nom_usage="Partant", prenoms="Un", referents=[{"user": partant}]
	).name
	t.dossier_partage = make_beneficiaire(
		monde.a, nom_usage="Partant", prenoms="Deux", referents=[{"user": partant}, {"user": monde.ts_a2}]
	).name
	t.dossier_b = make_beneficiaire(
		monde.b, nom_usage="Partant", prenoms="Trois", referents=[{"user": partant}]
	).name
	t.rappel = rappel(monde.a, partant, monde.ben_a.name)
	t.rappel_fait = rappel(monde.a, partant, monde.ben_a.name, statut="Fait")
	t.rappel_b = rappel(monde.b, partant, monde.ben_b.name)
	rdv = {"mode": "Accueil physique sur rendez-vous", "statut": "Planifié", "heure": "09:00:00"}
	t.rdv = make_accompagnement(monde.ben_a.name, monde.type_a, partant, date=jour(7), **rdv).name
	t.rdv_annule = make_accompagnement(
		monde.ben_a.name, monde.type_a, partant, date=jour(8), **{**rdv, "statut": "Annulé"}
	).name
	t.passe = make_accompagnement(monde.ben_a.name, monde.type_a, partant, date=jour(-3)).name
	t.rdv_b = make_accompagnement(
		monde.ben_b.name, monde.type_b, partant, date=jour(7), **{**rdv, "heure": "14:00:00"}
	).name
	assign_to.add(
		{"assign_to": [partant], "doctype": "Beneficiaire", "name": monde.ben_a.name}, ignore_permissions=True
	)
	assign_to.add(
		{"assign_to": [partant], "doctype": "Beneficiaire", "name": monde.ben_b.name}, ignore_permissions=True
	)
	return t


def rappel(structure: str, agent: str, beneficiaire: str, **values) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": "Relancer la CAF",
				"date_echeance": jour(3),
				"assigne_a": agent,
				"structure": structure,
				"beneficiaire": beneficiaire,
				**values,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def referents(dossier: str) -> list[str]:
	return sorted(frappe.get_all("Referent Beneficiaire", filters={"parent": dossier}, pluck="user"))


def noms(liste: list[dict]) -> set[str]:
	return {row["name"] for row in liste}


def test_apercu_compte_et_liste_ce_qui_sera_reaffecte(monde, travail):
	with as_user(monde.resp_a):
		a = apercu(monde.a, travail.partant, monde.ts_a2)
	assert (a["dossiers"], a["rappels"], a["rendez_vous"], a["taches"]) == (2, 1, 1, 1)
	assert noms(a["listes"]["dossiers"]) == {travail.dossier, travail.dossier_partage}
	assert noms(a["listes"]["rappels"]) == {travail.rappel}
	assert noms(a["listes"]["rendez_vous"]) == {travail.rdv}
	assert {t["reference_name"] for t in a["listes"]["taches"]} == {monde.ben_a.name}
	assert a["erreur"] is None
	# Nothing changed by the preview.
	assert referents(travail.dossier) == [travail.partant]


def test_apercu_signale_un_collegue_refuse(monde, travail):
	with as_user(monde.resp_a):
		assert "n'est pas un agent actif" in apercu(monde.a, travail.partant, monde.ts_b)["erreur"]


def test_reaffectation_complete_et_tracee(monde, travail):
	with as_user(monde.resp_a):
		resultat = reaffecter(monde.a, travail.partant, monde.ts_a2)
	assert referents(travail.dossier) == [monde.ts_a2]
	assert referents(travail.dossier_partage) == [monde.ts_a2]  # not twice
	assert frappe.db.get_value("Rappel", travail.rappel, "assigne_a") == monde.ts_a2
	assert frappe.db.get_value("Accompagnement", travail.rdv, "agent") == monde.ts_a2
	# Done, cancelled and past records keep who they were with.
	assert frappe.db.get_value("Rappel", travail.rappel_fait, "assigne_a") == travail.partant
	assert frappe.db.get_value("Accompagnement", travail.rdv_annule, "agent") == travail.partant
	assert frappe.db.get_value("Accompagnement", travail.passe, "agent") == travail.partant
	# Frappe's assignment moved with its record's `_assign`.
	ouverts = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Beneficiaire", "reference_name": monde.ben_a.name, "status": "Open"},
		pluck="allocated_to",
	)
	assert travail.partant not in ouverts and monde.ts_a2 in ouverts
	assert travail.partant not in (frappe.db.get_value("Beneficiaire", monde.ben_a.name, "_assign") or "")

	# Audit: the summary record, a comment and a Version on each record.
	trace = frappe.get_doc("Reaffectation", resultat["name"])
	assert (trace.structure, trace.agent, trace.collegue, trace.owner) == (
		monde.a,
		travail.partant,
		monde.ts_a2,
		monde.resp_a,
	)
	assert (trace.dossiers, trace.rappels, trace.rendez_vous, trace.taches) == (2, 1, 1, 1)
	changes = {(row.type_document, row.document) for row in trace.documents}
	assert changes == {
		("Beneficiaire", travail.dossier),
		("Beneficiaire", travail.dossier_partage),
		("Rappel", travail.rappel),
		("Accompagnement", travail.rdv),
		("Beneficiaire", monde.ben_a.name),
	}
	for doctype, name in changes:
		assert frappe.db.exists(
			"Comment",
			{
				"reference_doctype": doctype,
				"reference_name": name,
				"comment_type": "Info",
				"content": ("like", f"%{trace.name}%"),
			},
		), (doctype, name)
	for doctype, name in (("Beneficiaire", travail.dossier), ("Rappel", travail.rappel)):
		assert frappe.db.exists("Version", {"ref_doctype": doctype, "docname": name}), (doctype, name)


@pytest.mark.parametrize("responsable", ["resp_a", "resp_ab"])
def test_rien_ne_change_dans_une_autre_structure(monde, travail, equipe, responsable):
	with as_user(monde.resp_a if responsable == "resp_a" else equipe.resp_ab):
		reaffecter(monde.a, travail.partant, monde.ts_a2)
	assert referents(travail.dossier_b) == [travail.partant]
	assert frappe.db.get_value("Rappel", travail.rappel_b, "assigne_a") == travail.partant
	assert frappe.db.get_value("Accompagnement", travail.rdv_b, "agent") == travail.partant
	assert frappe.db.exists(
		"ToDo",
		{"reference_name": monde.ben_b.name, "allocated_to": travail.partant, "status": "Open"},
	)


def test_la_trace_reste_dans_sa_structure(monde, travail):
	with as_user(monde.resp_a):
		nom = reaffecter(monde.a, travail.partant, monde.ts_a2)["name"]
		assert frappe.get_list("Reaffectation", pluck="name") == [nom]
	with as_user(monde.resp_b):
		assert frappe.get_list("Reaffectation", pluck="name") == []
		assert not frappe.has_permission("Reaffectation", "read", nom)
	with as_user(monde.resp_a):
		# Nobody edits or deletes an audit entry.
		assert not frappe.has_permission("Reaffectation", "write", nom)
		assert not frappe.has_permission("Reaffectation", "delete", nom)


def test_tout_ou_rien(monde, travail):
	"""A record that cannot be saved (here the rappel) cancels the files already changed."""
	from suivi_social.dossiers.doctype.rappel.rappel import Rappel

	def refuse(self):
		frappe.throw("Rappel invalide")

	with as_user(monde.resp_a), patch.object(Rappel, "validate", refuse):
		with pytest.raises(ReaffectationRefusee, match=travail.rappel):
			reaffecter(monde.a, travail.partant, monde.ts_a2)
	assert referents(travail.dossier) == [travail.partant]
	assert not frappe.db.exists("Reaffectation", {"agent": travail.partant})


@pytest.mark.parametrize("qui", ["ts_a", "acc_a", "resp_b"])
def test_seul_le_responsable_de_la_structure_reaffecte(monde, travail, qui):
	with as_user(getattr(monde, qui)):
		with pytest.raises(EquipeRefusee):
			reaffecter(monde.a, travail.partant, monde.ts_a2)
		with pytest.raises(EquipeRefusee):
			apercu(monde.a, travail.partant, monde.ts_a2)
	assert referents(travail.dossier) == [travail.partant]


def test_pas_de_reaffectation_dans_la_structure_d_un_autre(monde, travail):
	with as_user(monde.resp_a), pytest.raises(EquipeRefusee):
		reaffecter(monde.b, travail.partant, monde.ts_b)
	assert referents(travail.dossier_b) == [travail.partant]


def test_collegue_refuse(monde, travail, equipe):
	with as_user(monde.resp_a):
		for collegue, message in (
			(monde.ts_b, "n'est pas un agent actif"),  # another structure
			(equipe.inactif, "n'est pas un agent actif"),
			(travail.partant, "autre collègue"),
			(equipe.sans_role, "pas de rôle"),
			(equipe.accueil, "ni travailleur social ni responsable"),  # files and appointments
		):
			with pytest.raises(ReaffectationRefusee, match=message):
				reaffecter(monde.a, travail.partant, collegue)
	assert referents(travail.dossier) == [travail.partant]


def test_rien_a_reaffecter(monde):
	with as_user(monde.resp_a), pytest.raises(ReaffectationRefusee, match="ni dossier"):
		reaffecter(monde.a, monde.acc_a, monde.ts_a2)


def test_http_get_refuse_et_apercu_en_get(monde, cles):  # noqa: F811
	methode = "/api/method/suivi_social.continuite.reaffectation."
	r = get(
		cles[monde.resp_a], methode + "reaffecter", structure=monde.a, agent=monde.acc_a, collegue=monde.ts_a2
	)
	assert r.status_code == 403
	r = get(cles[monde.resp_a], methode + "apercu", structure=monde.a, agent=monde.acc_a)
	assert r.status_code == 200 and r.json["message"]["dossiers"] == 0
	r = post(
		cles[monde.ts_a], methode + "reaffecter", structure=monde.a, agent=monde.acc_a, collegue=monde.ts_a2
	)
	assert r.status_code == 403
	assert "responsable" in r.json["_server_messages"]
