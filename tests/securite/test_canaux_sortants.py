"""Channels of Frappe that act as another user or send a record out (permissions/canaux.py): each one
off for the app's roles, or restricted to the readers of the record."""

import frappe
import pytest

from suivi_social.permissions.canaux import CanalRefuse
from suivi_social.permissions.pieces_jointes import PieceJointeRefusee
from suivi_social.roles import RESPONSABLE
from tests.conftest import as_user
from tests.factories import make_user
from tests.securite.test_fichiers import piece
from tests.securite.test_http import cles, post
from tests.securite.test_rapports import admin_suivi


def utilisateurs(monde, admin_suivi) -> tuple[str, ...]:  # noqa: F811
	return (monde.resp_a, monde.ts_a, monde.acc_a, admin_suivi)


# Sharing ---------------------------------------------------------------------------------------


def test_partage_desactive(monde, admin_suivi):  # noqa: F811
	from frappe.share import add, set_permission

	assert frappe.get_system_settings("disable_document_sharing") == 1
	for user in utilisateurs(monde, admin_suivi):
		with as_user(user):
			with pytest.raises(frappe.PermissionError):
				add("Beneficiaire", monde.ben_a.name, monde.ts_a2, read=1)
			with pytest.raises(frappe.PermissionError):
				set_permission("Beneficiaire", monde.ben_a.name, monde.ts_b, "read")
			with pytest.raises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "DocShare",
						"share_doctype": "Beneficiaire",
						"share_name": monde.ben_a.name,
						"user": monde.ts_b,
						"read": 1,
					}
				).insert()
	assert not frappe.db.exists("DocShare", {"share_name": monde.ben_a.name})


def test_le_reglage_revient_a_chaque_migration():
	from suivi_social import install

	frappe.db.set_single_value("System Settings", "disable_document_sharing", 0)
	install.apply_security_settings()
	assert frappe.db.get_single_value("System Settings", "disable_document_sharing") == 1


def test_http_partage_refuse(monde, cles):  # noqa: F811
	r = post(
		cles[monde.resp_a],
		"/api/method/frappe.share.add",
		doctype="Beneficiaire",
		name=monde.ben_a.name,
		user=monde.ts_a2,
		read=1,
	)
	assert r.status_code == 403
	assert not frappe.db.exists("DocShare", {"share_name": monde.ben_a.name, "user": monde.ts_a2})


# Assignment and mentions ------------------------------------------------------------------------


def test_assignation_aux_lecteurs_du_dossier_seulement(monde, messagerie):
	from frappe.desk.form.assign_to import add

	with as_user(monde.ts_a):
		# A ToDo written directly (REST, frappe.client.insert): Frappe checks nothing.
		with pytest.raises(CanalRefuse):
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": monde.ts_b,
					"reference_type": "Beneficiaire",
					"reference_name": monde.ben_a.name,
					"assigned_by": monde.ts_a,
					"description": "Voir le dossier",
				}
			).insert()
		with pytest.raises(CanalRefuse):
			add({"assign_to": [monde.ts_b], "doctype": "Beneficiaire", "name": monde.ben_a.name})
		# A colleague of the structure.
		add({"assign_to": [monde.ts_a2], "doctype": "Beneficiaire", "name": monde.ben_a.name})
	assert frappe.db.exists("ToDo", {"allocated_to": monde.ts_a2, "reference_name": monde.ben_a.name})
	assert not frappe.db.exists("ToDo", {"allocated_to": monde.ts_b, "reference_name": monde.ben_a.name})


def mention(user: str) -> str:
	return f'<p><span class="mention" data-id="{user}" data-value="{user}" data-denotation-char="@">@{user}</span> à voir</p>'


def test_mention_des_lecteurs_du_dossier_seulement(monde, messagerie):
	from frappe.desk.form.utils import add_comment

	with as_user(monde.ts_a):
		with pytest.raises(CanalRefuse):
			add_comment("Beneficiaire", monde.ben_a.name, mention(monde.ts_b), monde.ts_a, "TS A")
		add_comment("Beneficiaire", monde.ben_a.name, mention(monde.ts_a2), monde.ts_a, "TS A")
	assert not frappe.db.exists(
		"Notification Log", {"for_user": monde.ts_b, "document_name": monde.ben_a.name}
	)


# E-mail ------------------------------------------------------------------------------------------


def test_e_mail_sous_sa_propre_adresse(monde):
	from frappe.core.doctype.communication.email import make

	envoi = dict(
		doctype="Beneficiaire",
		name=monde.ben_a.name,
		content="Bonjour",
		subject="Dossier",
		recipients="partenaire@exemple.fr",
		send_email=False,
	)
	with as_user(monde.ts_a):
		with pytest.raises(CanalRefuse):
			make(sender="Directeur du CCAS <directeur@ccas.fr>", **envoi)
		with pytest.raises(CanalRefuse):
			make(sender=monde.resp_a, **envoi)
		assert make(sender=f"TS A <{monde.ts_a}>", **envoi)["name"]
		assert make(**envoi)["name"]


def test_e_mail_sans_piece_jointe_d_un_autre(monde):
	"""Frappe attaches a File by its name, without checking the sender may read it."""
	from frappe.core.doctype.communication.email import make

	de_b = piece("Beneficiaire", monde.ben_b.name)
	with as_user(monde.ts_a), pytest.raises(PieceJointeRefusee):
		make(
			doctype="Beneficiaire",
			name=monde.ben_a.name,
			content="Ci-joint",
			subject="Dossier",
			recipients="partenaire@exemple.fr",
			attachments=[de_b.name],
			send_email=False,
		)


# Auto Email Report ------------------------------------------------------------------------------


def rapport_par_e_mail(report: str, user: str) -> dict:
	return {
		"doctype": "Auto Email Report",
		"report": report,
		"user": user,
		"email_to": "dehors@exemple.fr",
		"frequency": "Weekly",
		"format": "CSV",
	}


def test_rapport_par_e_mail(monde, admin_suivi):  # noqa: F811
	for user in utilisateurs(monde, admin_suivi):
		assert not frappe.has_permission("Auto Email Report", "create", user=user), user
	# A Responsable given Report Manager by a System Manager.
	gestionnaire = make_user("resp-rapports@test.fr", RESPONSABLE, "Report Manager", structures=(monde.a,))
	with as_user(gestionnaire):
		for report in ("Aides financieres", "Profil des beneficiaires"):
			with pytest.raises(CanalRefuse):
				frappe.get_doc(rapport_par_e_mail(report, gestionnaire)).insert()
		# Another user's rights, even on a report of Frappe's.
		with pytest.raises(CanalRefuse):
			frappe.get_doc(rapport_par_e_mail("Permitted Documents For User", monde.resp_b)).insert()
		frappe.get_doc(rapport_par_e_mail("Permitted Documents For User", gestionnaire)).insert()


# Document Follow, Energy Points, the rest ----------------------------------------------------------


def test_pas_de_suivi_de_document_par_e_mail(monde):
	from frappe.desk.form.document_follow import follow_document

	from suivi_social.permissions import canaux

	with as_user(monde.ts_a):
		user = frappe.get_doc("User", monde.ts_a)
		user.document_follow_notify = 1
		user.save()
	assert frappe.db.get_value("User", monde.ts_a, "document_follow_notify") == 0
	frappe.db.set_value("User", monde.ts_b, "document_follow_notify", 1)  # an account from before
	canaux.desactiver()
	assert frappe.db.get_value("User", monde.ts_b, "document_follow_notify") == 0
	# Frappe's whitelisted follow_document takes any user and checks nothing: it now does nothing.
	with as_user(monde.ts_a):
		follow_document("Beneficiaire", monde.ben_b.name, monde.ts_b)
		follow_document("Beneficiaire", monde.ben_a.name, monde.ts_a)
	assert not frappe.db.exists(
		"Document Follow", {"ref_docname": ("in", [monde.ben_a.name, monde.ben_b.name])}
	)


def test_points_d_energie_desactives():
	from suivi_social.permissions import canaux

	frappe.db.set_single_value("Energy Point Settings", "enabled", 1)
	canaux.desactiver()
	assert not frappe.db.get_single_value("Energy Point Settings", "enabled")


CANAUX_FERMES = (
	"Auto Email Report",
	"Newsletter",
	"Email Group",
	"Webhook",
	"Data Export",
	"Prepared Report",
	"Email Account",
	"Slack Webhook URL",
	"SMS Settings",
	"Auto Repeat",
	"Assignment Rule",
	"Document Share Key",
	"DocShare",
	"Energy Point Settings",
	"Energy Point Rule",
	"Integration Request",
	"Server Script",
	"Client Script",
)


@pytest.mark.parametrize("doctype", CANAUX_FERMES)
def test_aucun_droit_sur_les_canaux_sortants(monde, admin_suivi, doctype):  # noqa: F811
	for user in utilisateurs(monde, admin_suivi):
		for droit in ("create", "write"):
			assert not frappe.has_permission(doctype, droit, user=user), (user, droit)
