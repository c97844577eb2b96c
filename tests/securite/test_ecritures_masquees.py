"""A write hands the saved document back without the fields its user may not read: the desk form's
Save, frappe.client's writes and the REST update returned it whole, so the Agent d'accueil who
changed a phone number received the file's NIR (frappe_fixes fix 8, overrides.py; found by
test_balayage.py). Each test also shows the Travailleur social getting the value back, so that a
silent response is a masked one."""

import json

import frappe
import pytest
from frappe.desk.form.save import savedocs
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from suivi_social import overrides
from tests.conftest import as_user, rendre_la_requete
from tests.securite.test_http import cles, requete  # cles: a fixture, used by name


@pytest.fixture
def en_requete():
	"""Whitelisted methods check their HTTP verb on the request."""
	avant = getattr(frappe.local, "request", None)
	frappe.local.request = Request(EnvironBuilder(method="POST").get_environ())
	yield
	rendre_la_requete(avant)


def nir_de(monde) -> str:
	return frappe.db.get_value("Beneficiaire", monde.ben_a.name, "numero_securite_sociale")


@pytest.mark.parametrize(("role_user", "voit"), [("acc_a", False), ("ts_a", True)])
def test_set_value_du_client(monde, en_requete, role_user, voit):
	with as_user(getattr(monde, role_user)):
		renvoye = overrides.set_value("Beneficiaire", monde.ben_a.name, "telephone", "06 01 02 03 04")
	assert renvoye["telephone"] == "06 01 02 03 04"
	assert (renvoye.get("numero_securite_sociale") == nir_de(monde)) is voit


@pytest.mark.parametrize(("role_user", "voit"), [("acc_a", False), ("ts_a", True)])
def test_enregistrer_le_formulaire(monde, role_user, voit):
	with as_user(getattr(monde, role_user)):
		doc = frappe.get_doc("Beneficiaire", monde.ben_a.name)
		doc.apply_fieldlevel_read_permissions()  # what the form loaded
		doc.telephone = "06 01 02 03 05"
		frappe.local.response = frappe._dict({"docs": []})
		savedocs(json.dumps(doc.as_dict(), default=str), "Save")
		renvoye = frappe.response.docs[0]
	assert renvoye["telephone"] == "06 01 02 03 05"
	assert (renvoye.get("numero_securite_sociale") == nir_de(monde)) is voit
	# The save kept the value the Agent d'accueil could not see.
	assert nir_de(monde)


def test_mise_a_jour_rest(monde, cles):  # noqa: F811
	"""PUT /api/resource: committed by the request, so the phone is put back afterwards."""
	ancien = frappe.db.get_value("Beneficiaire", monde.ben_a.name, "telephone")
	chemin = f"/api/resource/Beneficiaire/{monde.ben_a.name}"
	try:
		r = requete("PUT", cles[monde.acc_a], chemin, data=json.dumps({"telephone": "06 01 02 03 06"}))
		assert r.status_code == 200, r.json
		assert r.json["data"]["telephone"] == "06 01 02 03 06"
		assert (
			"numero_securite_sociale" not in r.json["data"] or not r.json["data"]["numero_securite_sociale"]
		)
		r = requete("PUT", cles[monde.ts_a], chemin, data=json.dumps({"telephone": "06 01 02 03 07"}))
		assert r.json["data"]["numero_securite_sociale"] == nir_de(monde)
	finally:
		frappe.db.rollback()
		frappe.db.set_value("Beneficiaire", monde.ben_a.name, "telephone", ancien)
		frappe.db.commit()
