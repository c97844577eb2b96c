"""Aides financières: requests of the period per nature (and year or month), their decisions and,
for who may read them, their amounts (agregats.aides_financieres)."""

from frappe import _

from suivi_social.statistiques import agregats
from suivi_social.statistiques.rapports import (
	colonne,
	graphique,
	ligne_total,
	montant,
	note,
	perimetre,
	resume,
)

PERIODICITES = ("", "Année", "Mois")


def execute(filters: dict | None = None):
	p = perimetre(filters)
	periodicite = (filters or {}).get("periodicite") or ""
	if periodicite not in PERIODICITES:
		periodicite = ""
	aides = agregats.aides_financieres(p, periodicite)
	columns = colonnes(periodicite, aides.montants)
	champs = [c["fieldname"] for c in columns]
	data = [{champ: ligne.get(champ) for champ in champs} for ligne in aides.lignes]
	if data:
		data.append(ligne_total({champ: aides.total.get(champ) for champ in champs}, "libelle"))
	t = aides.total
	elements = [
		("Demandes", t.demandes, "Int"),
		("Accordées", t.accordees, "Int"),
		("Refusées", t.refusees, "Int"),
		("Taux de refus", t.taux_refus, "Percent"),
	]
	if aides.montants:
		elements += [
			("Montant accordé", t.montant_accorde, "Currency"),
			("Montant payé", t.montant_paye, "Currency"),
			("Montant moyen accordé", t.montant_moyen, "Currency"),
		]
	return columns, data, message(p, aides.montants), chart(aides), resume(*elements)


def colonnes(periodicite: str, montants: bool) -> list[dict]:
	columns = [colonne("periode", "Période", "Data", 150)] if periodicite else []
	columns += [
		colonne("libelle", "Nature de l'aide", "Data", 240),
		colonne("demandes", "Demandes"),
		colonne("accordees", "Accordées"),
		colonne("refusees", "Refusées"),
		colonne("en_cours", "En cours"),
		colonne("sans_suite", "Classées sans suite", width=150),
		colonne("taux_refus", "Taux de refus", "Percent", 120),
	]
	if montants:
		columns += [
			colonne("payees", "Payées"),
			montant("montant_demande", "Montant demandé"),
			montant("montant_accorde", "Montant accordé"),
			montant("montant_paye", "Montant payé"),
			montant("montant_moyen", "Montant moyen accordé", 170),
		]
	return columns


def chart(aides) -> dict | None:
	# One bar per nature, the period's rows of a same nature added up.
	natures: dict[str, dict] = {}
	for ligne in aides.lignes:
		n = natures.setdefault(
			ligne.libelle,
			{"demandes": 0, "accordees": 0, "refusees": 0, "montant_accorde": 0.0, "montant_paye": 0.0},
		)
		for champ in n:
			n[champ] += ligne.get(champ) or 0
	labels = list(natures)
	if aides.montants:
		series = [
			("Montant accordé", [n["montant_accorde"] for n in natures.values()]),
			("Montant payé", [n["montant_paye"] for n in natures.values()]),
		]
	else:
		series = [
			(label, [n[champ] for n in natures.values()])
			for champ, label in (
				("demandes", "Demandes"),
				("accordees", "Accordées"),
				("refusees", "Refusées"),
			)
		]
	return graphique(labels, series, **({"fieldtype": "Currency"} if aides.montants else {}))


def message(p, montants: bool) -> str:
	phrases = [
		_(
			"Demandes d'aide financière datées {0} (accompagnements réalisés ou en cours relevant d'une "
			"typologie « aide financière »), et la suite qui leur a été donnée."
		).format(p.libelle()),
		_(
			"Taux de refus : refusées sur décidées (accordées ou refusées). Une demande qui relève de deux "
			"natures compte dans chacune ; le total la compte une fois."
		),
	]
	if montants:
		phrases.append(
			_("Payée : une date de paiement est renseignée ; montant payé = montant accordé de ces aides.")
		)
	else:
		phrases.append(_("Les montants ne vous sont pas accessibles : ils ne sont pas affichés."))
	return note(*phrases)
