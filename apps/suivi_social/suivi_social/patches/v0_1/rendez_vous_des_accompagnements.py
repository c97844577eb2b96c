"""Accompaniments recorded before the appointment fields (Accompagnement.validate_rendez_vous):
those that are appointments by the rule get `rendez_vous`, cancelled ones the outcome « Annulé ».
Outcomes « Honoré » / « Non honoré » are not guessed: past appointments show as « à renseigner »."""

import frappe

from suivi_social.dossiers.doctype.accompagnement.accompagnement import MODES_RENDEZ_VOUS


def execute():
	frappe.db.sql(
		"""update `tabAccompagnement` set rendez_vous = 1
		where rendez_vous = 0 and (statut = 'Planifié' or mode in %(modes)s)""",
		{"modes": MODES_RENDEZ_VOUS},
	)
	frappe.db.sql(
		"""update `tabAccompagnement` set issue_rendez_vous = 'Annulé'
		where rendez_vous = 1 and statut = 'Annulé' and ifnull(issue_rendez_vous, '') = ''"""
	)
