"""Appointments for the tests of tests/rendez_vous/."""

import frappe
from frappe.utils import add_days, today

from tests.factories import make_accompagnement


def jour(n: int) -> str:
	"""A date n days from today."""
	return str(add_days(today(), n))


def rendez_vous(monde, agent: str, date: str, heure: str, duree: int | None = None, b: bool = False, **extra):
	"""A planned appointment of structure A (B with b=True), as the factories insert it."""
	beneficiaire = monde.ben_b.name if b else monde.ben_a.name
	typologie = monde.type_b if b else monde.type_a
	valeurs = {"mode": "Accueil physique sur rendez-vous", "statut": "Planifié", **extra}
	return make_accompagnement(beneficiaire, typologie, agent, date=date, heure=heure, duree=duree, **valeurs)


def recharger(doc):
	return frappe.get_doc(doc.doctype, doc.name)
