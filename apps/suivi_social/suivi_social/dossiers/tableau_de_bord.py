"""Figures of the « Suivi social » workspace: what Frappe's built-in cards and charts cannot compute.

The number cards « Bénéficiaires actifs », « Nouveaux dossiers ce mois » and « Accompagnements ce
mois » are Frappe's own Document Type / Count cards (dossiers/number_card/): they count through
frappe.get_list as the viewing user. The rappels' cards (« Rappels en retard », « Mes rappels … »)
are in dossiers/rappels.py. Everything here reads the same way, through
frappe.get_list, so that the structure criterion (User Permission, permissions.structure query
conditions) and the field-level permissions apply exactly as in the lists; never through
frappe.get_all or SQL, which skip them.

Written here because the built-in types do not fit:
- the charts show « Non renseigné » for an empty value (Group By charts label it None) and list the
  values in the DocType's order (Group By sorts them by count);
- the age brackets are computed from the date of birth, as of today;
- the types of an accompaniment are a Table MultiSelect child (Type Accompagnement Lien) whose
  values are hash names, shown by their `nom`;
- the amount of aids granted this year counts an aid in the year of its decision, or in the year it
  was opened when no decision date was recorded (two conditions joined by OR, which a card's
  filters cannot express), and refuses users who may not read amounts.

Nothing is cached: each call recomputes for the user who asks (Frappe's `chart-data:<name>` cache
key of dashboard charts is never written in 15.44.2, and these sources do not use it).

The charts (dashboard_chart/*.json) are drawn without animation (`custom_options`: animate 0,
disableEntryAnimation 1): while frappe-charts animates, it swaps the chart's svg for a copy, and a
resize in that moment (the workspace's other blocks still loading) makes it remove an svg that is
not there, a JavaScript error in the browser. The distributions are donuts and percentage bars,
whose legend shows each label whole (a bar chart's axis cuts « Non renseigné » to « Non rens … »).
"""

import frappe
from frappe import _
from frappe.model import get_permitted_fields
from frappe.utils import add_months, flt, get_first_day, getdate, today

from suivi_social.dossiers.doctype.accompagnement.accompagnement import DECISIONS_ACCORDEES
from suivi_social.statistiques.agregats import MOIS_COURTS, TRANCHES_AGE, tranche_d_age
from suivi_social.statistiques.perimetre import ISSUE_NON_HONOREE, STATUTS_REALISES

# An accompaniment counts as activity as in the reports (statistiques/perimetre.py): it took place or
# is being handled, and is not a missed appointment. The card « Accompagnements ce mois »
# (number_card/accompagnements_du_mois) carries the same filters.
FILTRES_ACTIVITE = [
	["Accompagnement", "statut", "in", list(STATUTS_REALISES)],
	["Accompagnement", "issue_rendez_vous", "!=", ISSUE_NON_HONOREE],
]


# Typology chart: the most frequent types each get a series, the others are summed.
NOMBRE_TYPES_AFFICHES = 7
NOMBRE_MOIS = 12
# Commune chart: the most frequent communes, the others summed.
NOMBRE_COMMUNES_AFFICHEES = 10


NON_RENSEIGNE = "Non renseigné"


def non_renseigne() -> str:
	return _(NON_RENSEIGNE)


# --- Filters sent by the desk -------------------------------------------------------------------


def filtres_du_client(filters) -> list:
	"""The filters the desk sends with a card or chart (its `filters_json`, or what the user chose),
	as a list for frappe.get_list. They can only narrow what the user may read: get_list applies the
	permissions on top, and refuses a filter on a confidential field (frappe_fixes, fix 2)."""
	from suivi_social.durcissement import lire_json, parametre_invalide

	filters = lire_json(filters, "filters") if isinstance(filters, str) else filters
	if not filters:
		return []
	if isinstance(filters, dict):
		# The chart's filter dialog sends {fieldname: value}; an emptied field means no filter.
		filters = [
			[key, *value] if isinstance(value, list | tuple) else [key, "=", value]
			for key, value in filters.items()
			if value not in (None, "")
		]
	if not isinstance(filters, list) or not all(map(est_une_condition, filters)):
		# Anything else failed inside get_list with HTTP 500 (tests/securite/test_entrees_invalides.py).
		parametre_invalide(
			_("Filtres invalides : une liste de conditions [champ, opérateur, valeur] est attendue.")
		)
	return list(filters)


def est_une_condition(condition) -> bool:
	"""[field, value], [field, operator, value], [doctype, field, operator, value], or the desk's
	[doctype, field, operator, value, hidden]: names and operator are texts."""
	return (
		isinstance(condition, list | tuple)
		and 2 <= len(condition) <= 5
		and all(isinstance(partie, str) and partie for partie in condition[: min(len(condition) - 1, 3)])
	)


# --- Number card: aids granted this year ---------------------------------------------------------


@frappe.whitelist()
def aides_accordees_de_l_annee(filters: str | list | dict | None = None) -> str:
	"""Custom number card « Aides accordées cette année »: the amounts granted this year, formatted
	(« 1 650,50 € »).

	An aid counts in the year of its decision (date_decision); when no decision date was recorded,
	in the year it was opened (date). Amounts are confidential (permlevel 1): a user who may not read
	montant_accorde gets a refusal, never a figure; the card is not even listed for them
	(carte_has_permission).

	Returned as text: the desk's card shortens any number it is given (frappe.utils.shorten_number
	rounds 662,65 to « 663,00 € »), and shows a text as it is."""
	return frappe.format_value(
		total_des_aides_accordees(filters), {"fieldtype": "Currency", "options": "EUR"}
	)


def total_des_aides_accordees(filters=None) -> float:
	verifier_acces_aux_montants()
	annee = getdate(today()).year
	debut, fin = f"{annee}-01-01", f"{annee}-12-31"
	base = [["Accompagnement", "decision", "in", DECISIONS_ACCORDEES], *filtres_du_client(filters)]
	return flt(
		sum(
			flt(
				frappe.get_list(
					"Accompagnement",
					fields=["sum(`tabAccompagnement`.`montant_accorde`) as total"],
					filters=base + periode,
					order_by="",
				)[0].total
			)
			for periode in (
				[["Accompagnement", "date_decision", "between", [debut, fin]]],
				[
					["Accompagnement", "date_decision", "is", "not set"],
					["Accompagnement", "date", "between", [debut, fin]],
				],
			)
		),
		2,
	)


def verifier_acces_aux_montants() -> None:
	if "montant_accorde" not in get_permitted_fields("Accompagnement"):
		frappe.throw(
			_("Les montants des aides ne vous sont pas accessibles."),
			frappe.PermissionError,
			title=_("Accès refusé"),
		)


def carte_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission of Number Card: a card that sums or averages a field the user may not read is
	not theirs. The workspace lists only the cards the user may read (desk/desktop.py
	get_number_cards), so the Agent d'accueil does not even see the title of the amounts card.

	Our custom amounts card names the field it sums in `aggregate_function_based_on` for this rule.
	This hook can only deny (None = no opinion): Frappe's own hook still requires read access to the
	card's DocType."""
	fieldname = doc.get("aggregate_function_based_on")
	if not doc.get("document_type") or not fieldname:
		return None
	if doc.get("type") in (None, "", "Document Type") and doc.get("function") == "Count":
		return None
	meta = frappe.get_meta(doc.document_type)
	df = meta.get_field(fieldname)
	if not df or not df.permlevel:
		return None
	return None if df.permlevel in meta.get_permlevel_access("read", user=user) else False


# --- Charts ------------------------------------------------------------------------------------


def graphique(labels: list[str], series: list[tuple[str, list]]) -> dict:
	return {"labels": labels, "datasets": [{"name": nom, "values": valeurs} for nom, valeurs in series]}


def repartition(labels: list[str], valeurs: list[int]) -> dict:
	"""A distribution of active files, drawn as a donut or a percentage bar: without the values at 0
	(frappe-charts draws a 0 slice of a percentage bar with a negative width, a browser error), in
	the given order. Nothing to show gives {}: the desk's chart then says « Aucune donnée »."""
	gardees = [(label, n) for label, n in zip(labels, valeurs, strict=True) if n]
	if not gardees:
		return {}
	return graphique(
		[label for label, _n in gardees], [(_("Bénéficiaires actifs"), [n for _l, n in gardees])]
	)


def beneficiaires_actifs(filters, champ: str) -> list[frappe._dict]:
	"""Active files grouped by one of their fields: [{valeur, nombre}]."""
	return frappe.get_list(
		"Beneficiaire",
		fields=[f"`tabBeneficiaire`.`{champ}` as valeur", "count(*) as nombre"],
		filters=[["Beneficiaire", "statut", "=", "Actif"], *filtres_du_client(filters)],
		group_by=f"`tabBeneficiaire`.`{champ}`",
		order_by="",
		limit_page_length=0,
	)


def repartition_selon_les_options(filters, champ: str) -> dict:
	"""Active files by the value of a Select field, in the order of its options, then values outside
	the options (older data), then « Non renseigné »."""
	comptes: dict[str, int] = {}
	vides = 0
	for row in beneficiaires_actifs(filters, champ):
		if row.valeur:
			comptes[row.valeur] = comptes.get(row.valeur, 0) + row.nombre
		else:
			vides += row.nombre
	options = [o for o in (frappe.get_meta("Beneficiaire").get_options(champ) or "").split("\n") if o]
	valeurs = options + sorted(v for v in comptes if v not in options)
	labels = [_(v) for v in valeurs] + [non_renseigne()]
	return repartition(labels, [comptes.get(v, 0) for v in valeurs] + [vides])


def repartition_par_genre(filters=None) -> dict:
	return repartition_selon_les_options(filters, "genre")


def repartition_par_situation_familiale(filters=None) -> dict:
	return repartition_selon_les_options(filters, "situation_familiale")


def repartition_par_commune(filters=None) -> dict:
	"""The most frequent communes (free text, grouped as MariaDB compares them: without regard to
	case or accents), the others under « Autres communes », then « Non renseigné »."""
	comptes: dict[str, int] = {}
	vides = 0
	for row in beneficiaires_actifs(filters, "commune"):
		valeur = (row.valeur or "").strip()
		if valeur:
			comptes[valeur] = comptes.get(valeur, 0) + row.nombre
		else:
			vides += row.nombre
	classees = sorted(comptes.items(), key=lambda item: (-item[1], item[0]))
	premieres, autres = classees[:NOMBRE_COMMUNES_AFFICHEES], classees[NOMBRE_COMMUNES_AFFICHEES:]
	labels = [commune for commune, _n in premieres]
	valeurs = [n for _c, n in premieres]
	if autres:
		labels.append(_("Autres communes"))
		valeurs.append(sum(n for _c, n in autres))
	labels.append(non_renseigne())
	valeurs.append(vides)
	return repartition(labels, valeurs)


def repartition_par_tranche_d_age(filters=None) -> dict:
	"""Active files by age bracket (the reports' brackets, statistiques/agregats.TRANCHES_AGE), the age
	in whole years as of today, computed by MariaDB from the date of birth (the stored `age` field is
	only refreshed when the file is saved)."""
	reference = frappe.db.escape(str(getdate(today())))
	rows = frappe.get_list(
		"Beneficiaire",
		fields=[
			# Unqualified: get_list reads a table name before any "." of a field, functions included.
			f"timestampdiff(year, date_naissance, {reference}) as age",
			"count(*) as nombre",
		],
		filters=[["Beneficiaire", "statut", "=", "Actif"], *filtres_du_client(filters)],
		group_by="age",
		order_by="",
		limit_page_length=0,
	)
	comptes: dict[str, int] = {}
	for row in rows:
		label = tranche_d_age(None if row.age is None else int(row.age))
		comptes[label] = comptes.get(label, 0) + row.nombre
	labels = [label for _minimum, label in TRANCHES_AGE] + [NON_RENSEIGNE]
	valeurs = [comptes.get(label, 0) for label in labels]
	return repartition([_(label) for label in labels], valeurs)


def mois_glissants(nombre: int = NOMBRE_MOIS) -> list[tuple[int, int]]:
	"""The last `nombre` months, the current one included, oldest first: [(year, month)]."""
	premier = get_first_day(today())
	return [
		(mois.year, mois.month)
		for mois in (getdate(add_months(premier, -i)) for i in range(nombre - 1, -1, -1))
	]


def accompagnements_par_type_et_par_mois(filters=None) -> dict:
	"""Accompaniments counted as activity (FILTRES_ACTIVITE) in each of the last twelve months, one
	series per type. An accompaniment of two types counts once in each; one without a type under
	« Non renseigné ». Types of different structures with the same name are summed. The most
	frequent types get their own series, the others are under « Autres types »."""
	mois = mois_glissants()
	debut = f"{mois[0][0]}-{mois[0][1]:02d}-01"
	filtres = [
		# « between »: written without ifnull(), so that the range is read from the index
		# (structure, plusieurs_typologies, date, statut, issue_rendez_vous…) of
		# Accompagnement.on_doctype_update.
		["Accompagnement", "date", "between", [debut, today()]],
		*FILTRES_ACTIVITE,
		*filtres_du_client(filters),
	]
	# One row per (day, type), the months summed here. Most accompaniments have one type, read from
	# the accompaniment itself (Accompagnement.resumer_types; « in (0) », not « = 0 », which Frappe
	# would wrap in ifnull() and so read outside the index)...
	rows = frappe.get_list(
		"Accompagnement",
		fields=["typologie_seule as type_accompagnement", "date as jour", "count(*) as nombre"],
		filters=[*filtres, ["Accompagnement", "plusieurs_typologies", "in", [0]]],
		group_by="date, typologie_seule",
		order_by="",
		limit_page_length=0,
	)
	# ... the others through their Type Accompagnement Lien rows. frappe.get_list cannot group on a
	# function of a qualified column (it reads "year(`tabAccompagnement`" as a table name), and the
	# child table joined here makes it qualify an unqualified one: days, not months.
	rows += frappe.get_list(
		"Accompagnement",
		fields=[
			"`tabType Accompagnement Lien`.`type_accompagnement` as type_accompagnement",
			"`tabAccompagnement`.`date` as jour",
			"count(distinct `tabAccompagnement`.`name`) as nombre",
		],
		filters=[*filtres, ["Accompagnement", "plusieurs_typologies", "=", 1]],
		group_by="`tabAccompagnement`.`date`, `tabType Accompagnement Lien`.`type_accompagnement`",
		order_by="",
		limit_page_length=0,
	)
	noms = noms_des_types({row.type_accompagnement for row in rows if row.type_accompagnement})
	index_mois = {m: i for i, m in enumerate(mois)}
	par_type: dict[str, list[int]] = {}
	for row in rows:
		i = index_mois.get((row.jour.year, row.jour.month))
		if i is None:
			continue
		nom = noms.get(row.type_accompagnement, row.type_accompagnement) if row.type_accompagnement else None
		par_type.setdefault(nom, [0] * len(mois))[i] += row.nombre

	sans_type = par_type.pop(None, None)
	classes = sorted(par_type.items(), key=lambda item: (-sum(item[1]), item[0]))
	series = classes[:NOMBRE_TYPES_AFFICHES]
	if autres := classes[NOMBRE_TYPES_AFFICHES:]:
		series.append(
			(_("Autres types"), [sum(valeurs) for valeurs in zip(*(v for _n, v in autres), strict=True)])
		)
	if sans_type:
		series.append((non_renseigne(), sans_type))
	labels = [f"{MOIS_COURTS[m - 1]} {annee}" for annee, m in mois]
	if not series:
		series = [(_("Accompagnements"), [0] * len(mois))]
	return graphique(labels, series)


def noms_des_types(names: set[str]) -> dict[str, str]:
	if not names:
		return {}
	return {
		row.name: row.nom
		for row in frappe.get_list(
			"Type Accompagnement",
			filters=[["Type Accompagnement", "name", "in", sorted(names)]],
			fields=["name", "nom"],
			order_by="",
			limit_page_length=0,
		)
	}


def source_de_graphique(calcul):
	"""The `get` of a Dashboard Chart Source: Frappe imports one module per source and calls its
	`get` with the arguments of every chart widget; only `filters` applies to ours. Not decorated
	with frappe.utils.dashboard.cache_source: each user's figures are computed for them, nothing is
	shared through a cache."""

	@frappe.whitelist()
	def get(
		chart_name: str | None = None,
		chart: str | None = None,
		no_cache: str | int | None = None,
		filters: str | list | dict | None = None,
		from_date: str | None = None,
		to_date: str | None = None,
		timespan: str | None = None,
		time_interval: str | None = None,
		heatmap_year: str | int | None = None,
		refresh: str | int | None = None,
	) -> dict:
		return calcul(filters)

	return get
