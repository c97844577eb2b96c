"""A sort, a grouping or a child table never tells what a confidential field hides (frappe_fixes, 2).

The Agent d'accueil does not read the amounts of an aid nor the NIR, and the Administrateur Suivi
social no amount: an ORDER BY on montant_accorde would rank the aids by their hidden amount, a GROUP
BY would count its distinct values, and Bénéficiaire's « Ressources » (a Table field of level 1) would
be read row by row through the child DocType. Each path is refused, in the process and over HTTP;
sorting and grouping on the fields they read (standard fields included) keep working."""

import frappe
import pytest
from frappe.client import get_list as client_get_list
from frappe.desk import listview

from suivi_social.roles import ADMINISTRATEUR
from tests.conftest import as_user
from tests.factories import jeton_api, make_accompagnement, make_user
from tests.securite.test_http import get

MONTANTS = (10, 900, 50)
REFUS_TRI = "Tri ou regroupement refusé : vous n'avez pas accès au champ"
REFUS_TABLEAU = "Accès refusé : vous n'avez pas accès au tableau « Ressources »"


@pytest.fixture
def aides(monde):
	"""Three aids of structure A with different amounts (rolled back after the test)."""
	return {
		make_accompagnement(
			monde.ben_a.name, monde.aide_a, monde.ts_a, montant_demande=m, montant_accorde=m
		).name: m
		for m in MONTANTS
	}


@pytest.fixture
def ressources(monde):
	ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
	ben.append("ressources", {"nature": "RSA", "montant": 612.34})
	ben.append("ressources", {"nature": "Salaire", "montant": 1234.5})
	ben.save(ignore_permissions=True)
	return ben


@pytest.fixture(scope="module")
def jetons(_monde):
	admin = make_user("admin-suivi@test.fr", ADMINISTRATEUR)
	frappe.db.commit()
	return {"accueil": jeton_api(_monde.acc_a), "admin": jeton_api(admin), "ts": jeton_api(_monde.ts_a)}


# --- ORDER BY ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"doctype, order_by",
	[
		("Accompagnement", "montant_accorde desc"),
		("Accompagnement", "`tabAccompagnement`.`montant_demande` asc"),
		("Accompagnement", "modified desc, montant_accorde desc"),
		("Accompagnement", "ifnull(`tabAccompagnement`.`montant_accorde`, 0) desc"),
		("Accompagnement", "abs(montant_accorde) desc"),
		("Accompagnement", "date_paiement"),
		("Beneficiaire", "numero_securite_sociale"),
		("Beneficiaire", "`tabBeneficiaire`.`gir` desc"),
	],
)
def test_pas_de_tri_sur_un_champ_confidentiel(monde, aides, doctype, order_by):
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError, match=REFUS_TRI):
			frappe.get_list(doctype, fields=["name"], order_by=order_by)
		with pytest.raises(frappe.PermissionError, match=REFUS_TRI):
			client_get_list(doctype, fields=["name"], order_by=order_by)


def test_le_tri_classait_les_aides_par_montant(monde, aides):
	"""What the refusal hides: for whoever reads the amounts, the order is the amounts' order."""
	with as_user(monde.ts_a):
		noms = frappe.get_list(
			"Accompagnement",
			filters={"name": ("in", list(aides))},
			order_by="montant_accorde desc",
			pluck="name",
		)
	assert [aides[n] for n in noms] == sorted(MONTANTS, reverse=True)


@pytest.mark.parametrize(
	"order_by",
	[
		None,
		"",
		"modified desc",
		"`tabAccompagnement`.`modified` desc",
		"creation asc",
		"name",
		"statut asc, date desc",
		"`tabAccompagnement`.`date` desc, `tabAccompagnement`.`name` asc",
	],
)
def test_le_tri_sur_les_champs_lisibles_reste_permis(monde, aides, order_by):
	with as_user(monde.acc_a):
		noms = frappe.get_list(
			"Accompagnement", filters={"name": ("in", list(aides))}, order_by=order_by, pluck="name"
		)
	assert sorted(noms) == sorted(aides)


# --- GROUP BY ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"doctype, group_by",
	[
		("Accompagnement", "montant_accorde"),
		("Accompagnement", "`tabAccompagnement`.`mode_paiement`"),
		("Accompagnement", "statut, `tabAccompagnement`.`montant_demande`"),
		("Beneficiaire", "`tabBeneficiaire`.`gir`"),
		("Beneficiaire", "mesure_protection"),
	],
)
def test_pas_de_regroupement_sur_un_champ_confidentiel(monde, aides, doctype, group_by):
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError, match=REFUS_TRI):
			frappe.get_list(doctype, fields=["count(name) as nombre"], group_by=group_by, order_by="")


def test_barre_laterale_pas_de_compte_par_montant(monde, aides):
	"""The list sidebar's « group by » counts: a count per amount is a count of distinct amounts."""
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError, match=REFUS_TRI):
			listview.get_group_by_count("Accompagnement", "[]", "montant_accorde")
		comptes = listview.get_group_by_count(
			"Accompagnement", frappe.as_json([["Accompagnement", "name", "in", list(aides)]]), "statut"
		)
	assert sum(c["count"] for c in comptes) == len(aides)


def test_le_regroupement_sur_les_champs_lisibles_reste_permis(monde, aides):
	with as_user(monde.acc_a):
		lignes = frappe.get_list(
			"Accompagnement",
			fields=["statut", "count(name) as nombre"],
			filters={"name": ("in", list(aides))},
			group_by="statut",
			order_by="nombre desc",
		)
	assert sum(ligne.nombre for ligne in lignes) == len(aides)


# --- Child table of a confidential Table field ---------------------------------------------------------


@pytest.mark.parametrize(
	"doctype, valeurs",
	[
		# The child DocType listed itself, with its parent named.
		(
			"Ressource Beneficiaire",
			{"fields": ["parent", "nature", "montant"], "parent_doctype": "Beneficiaire"},
		),
		# Joined to the file by one of its columns…
		("Beneficiaire", {"fields": ["name", "`tabRessource Beneficiaire`.`nature`"]}),
		# …or by a filter.
		("Beneficiaire", {"fields": ["name"], "filters": [["Ressource Beneficiaire", "montant", ">", 1000]]}),
		("Beneficiaire", {"fields": ["name"], "filters": [["Ressource Beneficiaire", "nature", "=", "RSA"]]}),
	],
)
def test_pas_de_lecture_d_un_tableau_confidentiel(monde, ressources, doctype, valeurs):
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError, match=REFUS_TABLEAU):
			frappe.get_list(doctype, **valeurs)
	# The travailleur social reads the resources: the same queries answer.
	with as_user(monde.ts_a):
		assert frappe.get_list(doctype, **valeurs)


def test_le_tableau_des_types_reste_lisible(monde, aides):
	"""Accompagnement's types (a Table MultiSelect of level 0) stay readable by the accueil."""
	with as_user(monde.acc_a):
		lignes = frappe.get_list(
			"Accompagnement",
			fields=["name", "`tabType Accompagnement Lien`.`type_accompagnement`"],
			filters={"name": ("in", list(aides))},
		)
	assert {ligne.type_accompagnement for ligne in lignes} == {monde.aide_a}


# --- Over HTTP --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"qui, chemin, params",
	[
		(
			"accueil",
			"/api/method/frappe.client.get_list",
			{"doctype": "Accompagnement", "fields": ["name"], "order_by": "montant_accorde desc"},
		),
		("accueil", "/api/resource/Accompagnement", {"fields": ["name"], "order_by": "montant_demande desc"}),
		(
			"accueil",
			"/api/method/frappe.desk.reportview.get",
			{"doctype": "Beneficiaire", "fields": ["`tabBeneficiaire`.`name`"], "order_by": "gir asc"},
		),
		(
			"accueil",
			"/api/method/frappe.desk.listview.get_group_by_count",
			{"doctype": "Beneficiaire", "current_filters": [], "field": "mesure_protection"},
		),
		(
			"accueil",
			"/api/method/frappe.client.get_list",
			{"doctype": "Ressource Beneficiaire", "fields": ["montant"], "parent": "Beneficiaire"},
		),
		# The platform's administrator, in Report Builder: no amount, so no sort or group on one.
		(
			"admin",
			"/api/method/frappe.desk.reportview.get",
			{
				"doctype": "Accompagnement",
				"fields": ["`tabAccompagnement`.`name`"],
				"order_by": "`tabAccompagnement`.`montant_accorde` desc",
			},
		),
		(
			"admin",
			"/api/method/frappe.desk.reportview.get",
			{
				"doctype": "Accompagnement",
				"fields": ["`tabAccompagnement`.`name`"],
				"group_by": "`tabAccompagnement`.`montant_accorde`",
			},
		),
	],
)
def test_http_tri_regroupement_et_tableau_refuses(monde, jetons, qui, chemin, params):
	r = get(jetons[qui], chemin, **params)
	assert r.status_code == 403, r.text
	assert REFUS_TRI in r.json["exception"] or REFUS_TABLEAU in r.json["exception"]


@pytest.mark.parametrize(
	"chemin, params",
	[
		(
			"/api/method/frappe.desk.reportview.get",
			{
				"doctype": "Accompagnement",
				"fields": ["`tabAccompagnement`.`name`"],
				"order_by": "`tabAccompagnement`.`modified` desc",
			},
		),
		("/api/resource/Accompagnement", {"fields": ["name"], "order_by": "creation desc, name asc"}),
		(
			"/api/method/frappe.desk.listview.get_group_by_count",
			{"doctype": "Accompagnement", "current_filters": [], "field": "statut"},
		),
	],
)
def test_http_tri_et_regroupement_ordinaires(monde, jetons, chemin, params):
	r = get(jetons["accueil"], chemin, **params)
	assert r.status_code == 200, r.text
	# And the travailleur social sorts by amount.
	r = get(
		jetons["ts"],
		"/api/method/frappe.client.get_list",
		doctype="Accompagnement",
		fields=["name"],
		order_by="montant_accorde desc",
	)
	assert r.status_code == 200, r.text
