"""frappe_fixes, fix 10: permissions.get_doctypes_with_read kept for the request.

It is what Number Card and Dashboard Chart check before showing a card: a stale or shared answer
would show a user cards of DocTypes they may not read, or hide theirs. The kept answer must be
Frappe's own, for the user asking, and follow a permission change at once."""

from collections import defaultdict

import frappe
from frappe import permissions

from suivi_social import frappe_fixes
from tests.conftest import as_user


def frappe_tel_quel() -> set[str]:
	return set(frappe_fixes._get_doctypes_with_read())


def nouvelle_requete() -> None:
	frappe.local.request_cache = defaultdict(dict)


def test_le_correctif_est_en_place():
	assert permissions.get_doctypes_with_read is frappe_fixes._doctypes_lisibles


def test_la_reponse_est_celle_de_frappe_pour_chaque_utilisateur_de_la_requete(monde):
	"""Users switched inside one request (a job, a test, Frappe's own set_user) each get theirs."""
	nouvelle_requete()
	reponses = {}
	for user in (monde.acc_a, monde.ts_a, monde.resp_a, "Administrator"):
		with as_user(user):
			reponses[user] = set(permissions.get_doctypes_with_read())
			assert reponses[user] == frappe_tel_quel(), user
	# The four answers are not one answer handed to everyone.
	assert reponses[monde.acc_a] != reponses["Administrator"]
	assert "Compte Rendu Prive" not in reponses[monde.acc_a]
	assert "Compte Rendu Prive" in reponses[monde.ts_a]


def test_une_permission_donnee_est_vue_dans_la_meme_requete(monde):
	nouvelle_requete()
	with as_user(monde.acc_a):
		assert "Compte Rendu Prive" not in permissions.get_doctypes_with_read()
	# Custom DocPerm.on_update calls frappe.clear_cache, which empties the request cache.
	permissions.add_permission("Compte Rendu Prive", "Agent d'accueil", 0)
	with as_user(monde.acc_a):
		assert "Compte Rendu Prive" in permissions.get_doctypes_with_read()
	frappe.db.rollback()
	frappe.clear_cache(doctype="Compte Rendu Prive")


def test_la_liste_rendue_ne_modifie_pas_celle_gardee(monde):
	nouvelle_requete()
	with as_user(monde.ts_a):
		premiere = permissions.get_doctypes_with_read()
		premiere.append("Une Table Inventée")
		assert "Une Table Inventée" not in permissions.get_doctypes_with_read()
