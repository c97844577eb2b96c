"""Profil des bénéficiaires: the people accompanied in the period, by one dimension (age bracket,
genre, commune, situation familiale, logement, ressources) or new / already followed."""

import frappe
from frappe import _

from suivi_social.statistiques import agregats
from suivi_social.statistiques.agregats import DIMENSIONS
from suivi_social.statistiques.rapports import colonne, graphique, ligne_total, note, perimetre, resume

NOUVEAUX = "nouveaux"


def execute(filters: dict | None = None):
	p = perimetre(filters)
	dimension = (filters or {}).get("repartition") or "tranche_age"
	if dimension not in DIMENSIONS and dimension != NOUVEAUX:
		frappe.throw(_("Répartition inconnue : {0}").format(dimension))
	profil = agregats.profil_beneficiaires(p, avec_ressources=dimension == "ressources")
	effectifs = profil.effectifs
	columns = [
		colonne("libelle", DIMENSIONS.get(dimension, "Ancienneté"), "Data", 260),
		colonne("beneficiaires", "Bénéficiaires"),
		colonne("part", "Part", "Percent", 100),
	]
	summary = resume(
		("Bénéficiaires accompagnés", effectifs.beneficiaires, "Int"),
		("Nouveaux", effectifs.nouveaux, "Int"),
		("Déjà suivis avant la période", effectifs.deja_suivis, "Int"),
	)
	phrases = [
		_(
			"Personnes ayant eu au moins un accompagnement réalisé ou en cours {0}, chacune comptée une fois, "
			"quel que soit aujourd'hui le statut de leur dossier (archivé compris)."
		).format(p.libelle()),
		_(
			"Nouveaux : aucun accompagnement avant le {0}. Déjà suivis : accompagnés aussi avant cette date."
		).format(frappe.utils.formatdate(p.debut)),
	]
	if dimension == NOUVEAUX:
		rangees = [
			frappe._dict(libelle=_("Nouveaux"), beneficiaires=effectifs.nouveaux),
			frappe._dict(libelle=_("Déjà suivis avant la période"), beneficiaires=effectifs.deja_suivis),
		]
	elif dimension == "ressources":
		rangees = profil.repartitions["ressources"]
		if rangees is None:
			return (
				columns,
				[],
				note(_("Les ressources des bénéficiaires ne vous sont pas accessibles.")),
				None,
				summary,
			)
		phrases.append(
			_("Une personne qui a plusieurs ressources compte dans chacune : le total dépasse l'effectif.")
		)
	else:
		rangees = profil.repartitions[dimension]
		if dimension == "tranche_age":
			phrases.append(_("Âge au {0}.").format(frappe.utils.formatdate(p.fin)))
	data = [
		{
			"libelle": r.libelle,
			"beneficiaires": r.beneficiaires,
			"part": agregats.taux(r.beneficiaires, effectifs.beneficiaires),
		}
		for r in rangees
	]
	if data and dimension != "ressources":
		data.append(
			ligne_total(
				{
					"beneficiaires": effectifs.beneficiaires,
					"part": 100.0 if effectifs.beneficiaires else None,
				},
				"libelle",
			)
		)
	chart = graphique(
		[r.libelle for r in rangees],
		[("Bénéficiaires", [r.beneficiaires for r in rangees])],
		"pie" if dimension in ("genre", NOUVEAUX) else "bar",
	)
	return columns, data, note(*phrases), chart, summary
