"""The same rules over HTTP, through Frappe's whole request cycle (routing, overrides, REST).

Each request runs in its own thread with its own database connection, as Frappe's
FrappeAPITestCase does: it sees the committed two-structure world, authenticated by API keys."""

import json
from threading import Thread
from unittest.mock import patch

import frappe
import pytest
from werkzeug.test import Client

from tests.conftest import TEST_SITE
from tests.factories import jeton_api


@pytest.fixture(scope="session")
def cles(_monde):
	"""An API key for each user of the world, created once and reused (committed): test runs that
	overlap on the test site must not overwrite each other's secrets."""
	tokens = {}
	for user in (_monde.ts_a, _monde.acc_a, _monde.resp_a):
		tokens[user] = jeton_api(user)
	return tokens


def requete(
	method: str,
	token: str | None,
	path: str,
	*,
	client: Client | None = None,
	corps: str | bytes | None = None,
	entetes: dict | None = None,
	**params,
):
	"""One request through Frappe's whole WSGI application, in its own thread and connection.

	`token` None: no API key (a login, a guest); `client` keeps cookies between requests (a session);
	`corps` is sent as a raw JSON body, as a REST client sends a document; `entetes`: more headers."""
	from frappe.app import application

	values = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
	if corps is not None:
		options = {"query_string": values, "data": corps, "content_type": "application/json"}
	else:
		options = {"query_string": values} if method == "GET" else {"data": values}
	headers = {"Authorization": token} if token else {}
	headers.update(entetes or {})
	result = {}

	def run():
		with patch("frappe.app.get_site_name", return_value=TEST_SITE):
			result["response"] = (client or Client(application)).open(
				path, method=method, headers=headers, **options
			)

	thread = Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]


def get(token: str, path: str, **params):
	return requete("GET", token, path, **params)


def post(token: str, path: str, **params):
	return requete("POST", token, path, **params)


def test_rest_liste_sans_colonnes_confidentielles(monde, cles):
	r = get(
		cles[monde.acc_a],
		"/api/resource/Accompagnement",
		fields=["name", "statut", "compte_rendu", "montant_demande", "motif_refus"],
	)
	assert r.status_code == 200
	rows = r.json["data"]
	assert rows and all(set(row) == {"name", "statut"} for row in rows)


def test_rest_filtre_confidentiel_refuse(monde, cles):
	r = get(cles[monde.acc_a], "/api/resource/Accompagnement", filters=[["montant_demande", ">", 1]])
	assert r.status_code == 403


def test_rest_document_d_une_autre_structure(monde, cles):
	assert get(cles[monde.ts_a], f"/api/resource/Beneficiaire/{monde.ben_a.name}").status_code == 200
	assert get(cles[monde.ts_a], f"/api/resource/Beneficiaire/{monde.ben_b.name}").status_code == 403


def test_rest_liste_de_sa_structure(monde, cles):
	r = get(cles[monde.ts_a], "/api/resource/Beneficiaire", fields=["structure"], limit_page_length=0)
	assert {row["structure"] for row in r.json["data"]} == {monde.a}


def test_http_compte_et_recherche_de_lien(monde, cles):
	token = cles[monde.ts_a]
	count = get(token, "/api/method/frappe.client.get_count", doctype="Beneficiaire").json["message"]
	listed = get(token, "/api/resource/Beneficiaire", limit_page_length=0).json["data"]
	assert count == len(listed)
	found = get(
		token,
		"/api/method/frappe.desk.search.search_link",
		doctype="Beneficiaire",
		txt="",
		ignore_user_permissions=1,
		page_length=100,
	).json["message"]
	assert monde.ben_b.name not in {r["value"] for r in found}
	title = get(
		token,
		"/api/method/frappe.desk.search.get_link_title",
		doctype="Beneficiaire",
		docname=monde.ben_b.name,
	)
	assert title.json["message"] == monde.ben_b.name


def test_http_equipe_reservee_au_responsable(monde, cles):
	"""A POST, as the desk sends it: refused to a Travailleur social, allowed to the Responsable."""
	invitation = dict(structure=monde.a, email="x@test.fr", prenom="X", nom="Y", role="Travailleur social")
	path = "/api/method/suivi_social.api.equipe.inviter_collegue"
	r = post(cles[monde.ts_a], path, **invitation)
	assert r.status_code == 403
	assert "Seul un responsable de la structure" in r.json["exception"]
	assert not frappe.db.exists("User", "x@test.fr")
	# The same request from the Responsable of A goes through: the refusal above is the rule's.
	try:
		r = post(cles[monde.resp_a], path, **invitation)
		assert r.status_code == 200, r.json
		assert r.json["message"]["email"] == "x@test.fr"
	finally:
		frappe.db.rollback()  # a new snapshot, that sees what the request committed
		for name in frappe.get_all("User Permission", filters={"user": "x@test.fr"}, pluck="name"):
			frappe.delete_doc("User Permission", name, force=True, ignore_permissions=True)
		if frappe.db.exists("User", "x@test.fr"):
			frappe.delete_doc("User", "x@test.fr", force=True, ignore_permissions=True)
		frappe.db.commit()


def test_http_ecriture_refusee_en_get(monde, cles):
	r = get(
		cles[monde.resp_a],
		"/api/method/suivi_social.api.equipe.inviter_collegue",
		structure=monde.a,
		email="x@test.fr",
		prenom="X",
		nom="Y",
		role="Travailleur social",
	)
	assert r.status_code == 403
	assert not frappe.db.exists("User", "x@test.fr")


def test_http_argument_manquant_message_francais(monde, cles):
	"""Seen in the desk: « TypeError: doublons_probables() missing 1 required positional argument »."""
	r = get(
		cles[monde.ts_a],
		"/api/method/suivi_social.api.beneficiaire.doublons_probables",
		nom_usage="Lefevre",
		prenoms="Helene",
		date_naissance="1950-01-01",
	)
	assert r.status_code == 417
	assert "Paramètre manquant : « structure »" in r.json["exception"]
	assert "TypeError" not in r.text


def test_http_argument_de_mauvais_type_message_francais(monde, cles):
	r = get(
		cles[monde.ts_a],
		"/api/method/frappe.desk.search.search_link",
		doctype="Beneficiaire",
		txt="",
		page_length="beaucoup",
	)
	assert r.status_code == 417
	assert "Paramètre « page_length » : valeur invalide" in r.json["exception"]
	assert "should be of type" not in r.text
