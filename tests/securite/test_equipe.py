"""A Responsable manages their own structure's team, and nothing beyond it."""

import frappe
import pytest

from suivi_social.api import equipe
from suivi_social.api.equipe import EquipeRefusee
from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.factories import make_user


def test_le_responsable_invite_un_collegue(monde):
	from unittest.mock import patch

	# A site with no outgoing e-mail account (tests mute e-mails, which fakes one).
	with (
		as_user(monde.resp_a),
		patch("suivi_social.api.equipe.EmailAccount.find_outgoing", return_value=None),
	):
		invitation = equipe.inviter_collegue(
			monde.a, "Nouvelle.Collegue@Test.fr", "Nadia", "Haddad", TRAVAILLEUR_SOCIAL
		)
	email = invitation["email"]
	assert email == "nouvelle.collegue@test.fr"
	# No e-mail can be sent: the link where she chooses her password is returned instead.
	assert "/update-password?key=" in invitation["lien_mot_de_passe"]
	assert frappe.db.get_value("User", email, "username") == email
	roles = frappe.get_roles(email)
	assert TRAVAILLEUR_SOCIAL in roles
	assert "System Manager" not in roles
	assert frappe.db.get_value("User", email, "default_workspace") == "Suivi social"
	assert frappe.db.get_value(
		"User Permission", {"user": email, "allow": "Structure"}, ["for_value", "is_default"]
	) == (monde.a, 1)
	with as_user(email):
		assert set(frappe.get_list("Beneficiaire", pluck="structure")) == {monde.a}


def test_pas_d_invitation_dans_une_autre_structure(monde):
	with as_user(monde.resp_a):
		with pytest.raises(EquipeRefusee):
			equipe.inviter_collegue(monde.b, "intrus@test.fr", "In", "Trus", TRAVAILLEUR_SOCIAL)
	assert not frappe.db.exists("User", "intrus@test.fr")


@pytest.mark.parametrize("role", ["System Manager", ADMINISTRATEUR, "Script Manager"])
def test_pas_de_role_d_administration(monde, role):
	with as_user(monde.resp_a):
		with pytest.raises(EquipeRefusee):
			equipe.inviter_collegue(monde.a, "promu@test.fr", "Pro", "Mu", role)
	assert not frappe.db.exists("User", "promu@test.fr")


@pytest.mark.parametrize("user", ["ts_a", "acc_a"])
def test_seul_le_responsable_gere_l_equipe(monde, user):
	with as_user(getattr(monde, user)):
		with pytest.raises(EquipeRefusee):
			equipe.inviter_collegue(monde.a, "x@test.fr", "X", "Y", AGENT_ACCUEIL)
		with pytest.raises(EquipeRefusee):
			equipe.retirer_collegue(monde.a, monde.ts_a2)


def test_pas_de_prise_de_controle_d_un_agent_d_une_autre_structure(monde):
	with as_user(monde.resp_a):
		with pytest.raises(EquipeRefusee):
			equipe.inviter_collegue(monde.a, monde.ts_b, "Ts", "B", RESPONSABLE)
	assert RESPONSABLE not in frappe.get_roles(monde.ts_b)
	assert not frappe.db.exists("User Permission", {"user": monde.ts_b, "for_value": monde.a})


def test_changer_le_role_d_un_collegue(monde):
	with as_user(monde.resp_a):
		equipe.inviter_collegue(monde.a, monde.ts_a2, "Ts", "A2", AGENT_ACCUEIL)
	roles = frappe.get_roles(monde.ts_a2)
	assert AGENT_ACCUEIL in roles and TRAVAILLEUR_SOCIAL not in roles


def test_retirer_un_collegue_le_desactive(monde):
	with as_user(monde.resp_a):
		equipe.retirer_collegue(monde.a, monde.ts_a2)
	assert frappe.db.get_value("User", monde.ts_a2, "enabled") == 0
	assert not frappe.db.exists("User Permission", {"user": monde.ts_a2, "allow": "Structure"})


def test_l_administrateur_cree_une_structure_et_son_responsable():
	admin = make_user("admin-plateforme@test.fr", ADMINISTRATEUR)
	with as_user(admin):
		frappe.get_doc(
			{"doctype": "Structure", "raison_sociale": "CCAS de Neuville", "prefixe_dossier": "NEUV"}
		).insert()
		equipe.inviter_collegue("CCAS de Neuville", "chef@neuville.fr", "Chef", "Neuville", RESPONSABLE)
	assert [r.user for r in frappe.get_doc("Structure", "CCAS de Neuville").responsables] == [
		"chef@neuville.fr"
	]
	with as_user("chef@neuville.fr"):
		equipe.inviter_collegue("CCAS de Neuville", "agent@neuville.fr", "Agent", "Neuville", AGENT_ACCUEIL)
		assert frappe.get_list("Structure", pluck="name") == ["CCAS de Neuville"]


def test_la_liste_des_agents_d_un_formulaire_se_limite_a_la_structure(monde):
	with as_user(monde.ts_a):
		agents = {row[0] for row in equipe.agents_query("User", "", "name", 0, 50, {"structure": monde.a})}
		assert monde.ts_a2 in agents and monde.resp_a in agents
		assert monde.ts_b not in agents
		assert equipe.agents_query("User", "", "name", 0, 50, {"structure": monde.b}) == []
		assert {row.name for row in equipe.equipe(monde.a)} >= {monde.ts_a, monde.acc_a}
		with pytest.raises(frappe.PermissionError):
			equipe.equipe(monde.b)


def test_deux_collegues_du_meme_prenom(monde):
	"""Frappe derives the username from the first name and complained (in English) on the second."""
	frappe.local.message_log = []
	with as_user(monde.resp_a):
		for email in ("alice.martin@test.fr", "alice.durand@test.fr"):
			equipe.inviter_collegue(monde.a, email, "Alice", email.split(".")[1].split("@")[0], AGENT_ACCUEIL)
	messages = " ".join(m.get("message", "") if isinstance(m, dict) else str(m) for m in frappe.message_log)
	assert "utilisateur" not in messages.lower()
	assert frappe.db.get_value("User", "alice.durand@test.fr", "username") == "alice.durand@test.fr"
