"""Frappe's address book: an address linked to another structure's file is not named to a user of A
(overrides.get_default_address; found by test_balayage.py). Our roles may create addresses linked
to a file."""

import frappe
from frappe.contacts.doctype.address.address import get_default_address as frappe_get_default_address

from suivi_social import overrides
from tests.conftest import as_user

METHODE = "frappe.contacts.doctype.address.address.get_default_address"


def test_adresse_par_defaut_d_un_dossier_d_une_autre_structure(monde):
	adresse = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": "Chez Mme Bernard",
			"address_line1": "3 rue des Lilas",
			"city": "Lyon",
			"country": "France",
			"links": [{"link_doctype": "Beneficiaire", "link_name": monde.ben_b.name}],
		}
	).insert(ignore_permissions=True)
	assert frappe.get_hooks("override_whitelisted_methods")[METHODE] == [
		"suivi_social.overrides.get_default_address"
	]
	with as_user(monde.resp_a):
		assert overrides.get_default_address("Beneficiaire", monde.ben_b.name) is None
		# What Frappe 15.44.2 answers.
		assert frappe_get_default_address("Beneficiaire", monde.ben_b.name) == adresse.name
	with as_user(monde.ts_b):
		assert overrides.get_default_address("Beneficiaire", monde.ben_b.name) == adresse.name
