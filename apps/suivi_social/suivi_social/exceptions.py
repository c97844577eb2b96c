"""Domain errors, so that tests can assert exactly which rule refused a document."""

import frappe


class DonneeInvalide(frappe.ValidationError):
	"""A value is malformed or inconsistent (date, NIR, SIRET, phone, amount…)."""


class DoublonProbable(frappe.ValidationError):
	"""A file with the same name and birth date already exists in the structure."""


class HorsStructure(frappe.ValidationError):
	"""A linked record or user belongs to another structure."""


class TypologieUtilisee(frappe.ValidationError):
	"""A typology already used by an accompaniment cannot be deleted."""


class FusionInterdite(frappe.PermissionError):
	"""The user may not merge these two files (dossiers/fusion.py)."""


class PersonnalisationRefusee(frappe.PermissionError):
	"""A no-code customisation beyond what a non-System-Manager may do (personnalisation/)."""


class ChevauchementRendezVous(frappe.ValidationError):
	"""The agent already has an appointment in that slot (dossiers/rendez_vous.py)."""
