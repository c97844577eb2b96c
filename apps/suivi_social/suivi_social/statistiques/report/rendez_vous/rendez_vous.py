"""Rendez-vous: the appointments of the period per agent and their outcome (agregats.rendez_vous)."""

from frappe import _

from suivi_social.statistiques import agregats
from suivi_social.statistiques.rapports import colonne, graphique, ligne_total, note, perimetre, resume

CHAMPS = (
	("rendez_vous", "Rendez-vous"),
	("honores", "Honorés"),
	("non_honores", "Non honorés"),
	("annules", "Annulés"),
	("a_venir", "À venir"),
	("a_renseigner", "Issue à renseigner"),
)


def execute(filters: dict | None = None):
	p = perimetre(filters)
	rdv = agregats.rendez_vous(p)
	columns = [
		colonne("nom_agent", "Agent", "Data", 220),
		*(colonne(champ, label, width=130) for champ, label in CHAMPS),
		colonne("taux_presence", "Taux de présence", "Percent", 140),
	]
	champs = [c["fieldname"] for c in columns]
	data = [{champ: ligne.get(champ) for champ in champs} for ligne in rdv.lignes]
	if data:
		data.append(ligne_total({champ: rdv.total.get(champ) for champ in champs}, "nom_agent"))
	chart = graphique(
		[ligne.nom_agent for ligne in rdv.lignes],
		[
			("Honorés", [ligne.honores for ligne in rdv.lignes]),
			("Non honorés", [ligne.non_honores for ligne in rdv.lignes]),
			("Annulés", [ligne.annules for ligne in rdv.lignes]),
		],
		barOptions={"stacked": 1},
		colors=["#29cd42", "#ff5858", "#ffa00a"],
	)
	t = rdv.total
	summary = resume(
		("Rendez-vous", t.rendez_vous, "Int"),
		("Honorés", t.honores, "Int"),
		("Non honorés", t.non_honores, "Int"),
		("Annulés", t.annules, "Int"),
		("Taux de présence", t.taux_presence, "Percent"),
	)
	message = note(
		_("Accompagnements « sur rendez-vous » datés {0}, par agent.").format(p.libelle()),
		_(
			"Taux de présence : honorés sur honorés et non honorés. Issue à renseigner : rendez-vous passé "
			"dont l'issue n'a pas été notée."
		),
	)
	return columns, data, message, chart, summary
