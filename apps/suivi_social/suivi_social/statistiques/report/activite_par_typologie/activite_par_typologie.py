"""Activité par typologie: accompaniments and distinct beneficiaries per typology (agregats.py)."""

from frappe import _

from suivi_social.statistiques import agregats
from suivi_social.statistiques.rapports import colonne, graphique, ligne_total, note, perimetre, resume


def execute(filters: dict | None = None):
	p = perimetre(filters)
	activite = agregats.activite_par_typologie(p)
	columns = [
		colonne("libelle", "Typologie", "Data", 300),
		colonne("accompagnements", "Accompagnements"),
		colonne("beneficiaires", "Bénéficiaires"),
	]
	data = [
		{
			"libelle": ligne.libelle,
			"accompagnements": ligne.accompagnements,
			"beneficiaires": ligne.beneficiaires,
		}
		for ligne in activite.lignes
	]
	if data:
		data.append(
			ligne_total(
				{"accompagnements": activite.accompagnements, "beneficiaires": activite.beneficiaires},
				"libelle",
				"Total (chaque personne comptée une fois)",
			)
		)
	chart = graphique(
		[ligne.libelle for ligne in activite.lignes],
		[
			("Accompagnements", [ligne.accompagnements for ligne in activite.lignes]),
			("Bénéficiaires", [ligne.beneficiaires for ligne in activite.lignes]),
		],
	)
	summary = resume(
		("Accompagnements", activite.accompagnements, "Int"),
		("Bénéficiaires accompagnés", activite.beneficiaires, "Int"),
	)
	message = note(
		_(
			"Accompagnements réalisés ou en cours {0} (ni planifiés, ni annulés, ni rendez-vous non honorés)."
		).format(p.libelle()),
		_(
			"Un accompagnement qui relève de deux typologies compte dans chacune ; le total le compte une fois. "
			"Une personne compte une fois par typologie et une fois dans le total."
		),
	)
	return columns, data, message, chart, summary
