"""The aggregation functions behind every report and the yearly activity report.

Each function runs a few GROUP BY queries through `frappe.get_list` on Accompagnement (so the
structure criterion, strict User Permissions and field-level permissions of the asking user
apply) and returns small aggregated rows; nothing loops over documents. What is counted is
defined once in perimetre.py."""

from collections import defaultdict
from datetime import date

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from suivi_social.dossiers.doctype.accompagnement.accompagnement import DECISIONS_ACCORDEES
from suivi_social.statistiques.perimetre import NON_RENSEIGNE, Perimetre, voit_montants, voit_ressources
from suivi_social.utils.identite import cle_recherche

# Columns of the queries (the child table of typologies is joined by Frappe when named). An
# accompaniment is one row, or one row per typology when they are joined: count(name) counts it
# once per group, no DISTINCT needed (which, with a GROUP BY, costs MariaDB a temporary table).
TYPOLOGIE = "`tabType Accompagnement Lien`.`type_accompagnement` as typologie"
NB_ACCOMPAGNEMENTS = "count(`tabAccompagnement`.`name`) as accompagnements"
NB_BENEFICIAIRES = "count(distinct `tabAccompagnement`.`beneficiaire`) as beneficiaires"
# extract(), not year(): DatabaseQuery.extract_tables would read "year(`tabAccompagnement`" as a
# table to join, and set_field_tables would prefix an unqualified year(`date`) with a table name.
ANNEE = "extract(year from `tabAccompagnement`.`date`) as annee"
MOIS = "extract(month from `tabAccompagnement`.`date`) as mois"

# The first day of all times, for "accompanied before the period".
ORIGINE = date(1900, 1, 1)

MOIS_FR = (
	"janvier",
	"février",
	"mars",
	"avril",
	"mai",
	"juin",
	"juillet",
	"août",
	"septembre",
	"octobre",
	"novembre",
	"décembre",
)

MOIS_COURTS = (
	"janv.",
	"févr.",
	"mars",
	"avr.",
	"mai",
	"juin",
	"juil.",
	"août",
	"sept.",
	"oct.",
	"nov.",
	"déc.",
)

# Age brackets: (lowest age, label), the age in whole years. The one table of the brackets: the
# reports and the yearly activity report (at the last day of the period) and the workspace chart
# « Par tranche d'âge » (dossiers/tableau_de_bord.py, as of today) all read it.
TRANCHES_AGE = (
	(0, "Moins de 25 ans"),
	(25, "25 à 34 ans"),
	(35, "35 à 44 ans"),
	(45, "45 à 54 ans"),
	(55, "55 à 64 ans"),
	(65, "65 ans et plus"),
)

# The file's fields shown as distributions (label of the dimension).
DIMENSIONS_DOSSIER = {
	"genre": "Genre",
	"commune": "Commune",
	"situation_familiale": "Situation familiale",
	"mode_hebergement": "Logement",
}
DIMENSIONS = {"tranche_age": "Tranche d'âge", **DIMENSIONS_DOSSIER, "ressources": "Ressources"}


def _accompagnements(fields: list[str], filtres: list, group_by: str | None = None) -> list[dict]:
	return frappe.get_list(
		"Accompagnement",
		fields=fields,
		filters=filtres,
		group_by=group_by,
		order_by=None,
		limit_page_length=0,
	)


def _par_typologie(filtres: list) -> list[dict]:
	"""Accompaniments and distinct beneficiaries per type. Those with one type are read with their
	type from their own index (Accompagnement.resumer_types), only those with several are joined to
	their Type Accompagnement Lien rows; both parts go through frappe.get_list (permissions) and
	are counted together, so that a person met under a type in both parts is counted once. Twice
	as fast as joining every accompaniment on a year of 100,000 (benchmarks/statistiques.py)."""
	commun = {"order_by": None, "limit_page_length": 0, "run": 0}
	seuls = frappe.get_list(
		"Accompagnement",
		fields=["`tabAccompagnement`.`typologie_seule` as typologie", "`tabAccompagnement`.`beneficiaire`"],
		# « in (0) », not « = 0 », which Frappe would wrap in ifnull() and so read outside the index.
		filters=[*filtres, ["Accompagnement", "plusieurs_typologies", "in", [0]]],
		**commun,
	)
	plusieurs = frappe.get_list(
		"Accompagnement",
		fields=[TYPOLOGIE, "`tabAccompagnement`.`beneficiaire`"],
		filters=[*filtres, ["Accompagnement", "plusieurs_typologies", "=", 1]],
		**commun,
	)
	if not (isinstance(seuls, str) and isinstance(plusieurs, str)):
		return []  # get_list hands back [] instead of its query when no asked field is readable
	return frappe.db.sql(
		f"""select typologie, count(*) as accompagnements, count(distinct beneficiaire) as beneficiaires
		from (({seuls}) union all ({plusieurs})) as lignes group by typologie""",
		as_dict=True,
	)


def libelle(valeur) -> str:
	return _(valeur) if valeur not in (None, "") else _(NON_RENSEIGNE)


def taux(numerateur: float, denominateur: float) -> float | None:
	"""A percentage with one decimal, None when there is nothing to divide."""
	return round(100.0 * numerateur / denominateur, 1) if denominateur else None


# --- Activity -------------------------------------------------------------------------------------


def activite_par_typologie(p: Perimetre) -> frappe._dict:
	"""Per typology, accompaniments and distinct beneficiaries; the total counts an accompaniment
	with two typologies once, and a person once."""
	lignes = _par_typologie(p.filtres())
	total = _accompagnements([NB_ACCOMPAGNEMENTS, NB_BENEFICIAIRES], p.filtres())[0]
	noms = noms_typologies({ligne.typologie for ligne in lignes})
	lignes = [
		frappe._dict(
			typologie=ligne.typologie,
			libelle=noms.get(ligne.typologie) or libelle(ligne.typologie),
			accompagnements=ligne.accompagnements,
			beneficiaires=ligne.beneficiaires,
		)
		for ligne in lignes
	]
	lignes.sort(key=lambda ligne: (-ligne.accompagnements, cle_recherche(ligne.libelle)))
	return frappe._dict(
		lignes=lignes,
		accompagnements=total.accompagnements or 0,
		beneficiaires=total.beneficiaires or 0,
	)


def activite_par_mois(p: Perimetre) -> list[frappe._dict]:
	"""Accompaniments per month of the period (every month listed). Not the distinct beneficiaries
	per month: a DISTINCT per group of a GROUP BY makes MariaDB build a temporary table of every row
	(18 s instead of 0.1 s on a year of 200,000 accompaniments)."""
	lignes = _accompagnements([ANNEE, MOIS, NB_ACCOMPAGNEMENTS], p.filtres(), "annee, mois")
	par_mois = {(ligne.annee, ligne.mois): ligne.accompagnements for ligne in lignes}
	resultat = []
	annee, mois = p.debut.year, p.debut.month
	while (annee, mois) <= (p.fin.year, p.fin.month):
		resultat.append(
			frappe._dict(
				annee=annee,
				mois=mois,
				libelle=f"{MOIS_FR[mois - 1]} {annee}",
				court=MOIS_COURTS[mois - 1],
				accompagnements=par_mois.get((annee, mois), 0),
			)
		)
		annee, mois = (annee + 1, 1) if mois == 12 else (annee, mois + 1)
	return resultat


def noms_typologies(names: set) -> dict[str, str]:
	"""Typology id → name, read with the user's permissions; the structure is added when the rows
	come from several structures (two structures may both have a « Domiciliation »)."""
	names = [name for name in names if name]
	if not names:
		return {}
	typologies = frappe.get_list(
		"Type Accompagnement",
		fields=["name", "nom", "structure"],
		filters={"name": ("in", names)},
		order_by=None,
		limit_page_length=0,
	)
	plusieurs = len({t.structure for t in typologies}) > 1
	return {t.name: f"{t.nom} ({t.structure})" if plusieurs else t.nom for t in typologies}


# --- Beneficiaries --------------------------------------------------------------------------------


def population(p: Perimetre, beneficiaires: int | None = None) -> frappe._dict:
	"""Distinct beneficiaries accompanied in the period, new and already followed.

	With A = accompanied in the period, B = accompanied up to its last day and C = accompanied
	before its first day: A ∪ C = B, so « déjà suivis » = A ∩ C = A + C − B and « nouveaux » =
	A − (A ∩ C) = B − C. Counts in the database (read from the index alone) instead of a row per
	person; A may be given when already counted."""

	def compter(debut: date, fin: date) -> int:
		return _accompagnements([NB_BENEFICIAIRES], p.filtres(debut=debut, fin=fin))[0].beneficiaires or 0

	a = compter(p.debut, p.fin) if beneficiaires is None else beneficiaires
	b = compter(ORIGINE, p.fin)
	c = compter(ORIGINE, date.fromordinal(p.debut.toordinal() - 1)) if p.debut > ORIGINE else 0
	return frappe._dict(beneficiaires=a, nouveaux=b - c, deja_suivis=a + c - b)


def tranche(date_naissance, jour: date) -> str:
	"""The bracket's label (untranslated) of a person born on `date_naissance`, on `jour`."""
	if not date_naissance:
		return NON_RENSEIGNE
	naissance = getdate(date_naissance)
	return tranche_d_age(
		jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))
	)


def tranche_d_age(age: int | None) -> str:
	"""The bracket's label (untranslated) of an age; « Non renseigné » without a date of birth, or
	with one after the day of reference (a mistyped date)."""
	if age is None or age < 0:
		return NON_RENSEIGNE
	label = TRANCHES_AGE[0][1]
	for minimum, nom in TRANCHES_AGE:
		if age >= minimum:
			label = nom
	return label


def repartitions(p: Perimetre) -> tuple[int, dict[str, list[frappe._dict]]]:
	"""The people accompanied in the period (their number, and their distribution by age bracket
	on the last day of the period, genre, commune, situation familiale and logement), in one query.

	Grouped by the combination of the five values of the file: each person has one combination,
	so the groups are disjoint and each dimension's counts are sums of theirs. The brackets are
	applied here to the birth dates: SQL functions with two arguments, which an age needs, are
	refused in `frappe.get_list` fields. Communes typed differently (« DÉMOVILLE », « Démoville »)
	are one commune (the database's collation groups them within a combination; the same key
	merges them across combinations)."""
	champs = list(DIMENSIONS_DOSSIER)
	lignes = _accompagnements(
		["beneficiaire.date_naissance as date_naissance"]
		+ [f"beneficiaire.{champ} as {champ}" for champ in champs]
		+ [NB_BENEFICIAIRES],
		p.filtres(),
		", ".join(["date_naissance", *champs]),
	)
	total = sum(ligne.beneficiaires for ligne in lignes)
	ages = dict.fromkeys([label for _age, label in TRANCHES_AGE] + [NON_RENSEIGNE], 0)
	comptes: dict[str, dict[str, int]] = {champ: defaultdict(int) for champ in champs}
	variantes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
	for ligne in lignes:
		ages[tranche(ligne.date_naissance, p.fin)] += ligne.beneficiaires
		for champ in champs:
			valeur = (ligne.get(champ) or "").strip()
			cle = cle_recherche(valeur) if champ == "commune" else valeur
			comptes[champ][cle] += ligne.beneficiaires
			if champ == "commune":
				variantes[cle][valeur] += ligne.beneficiaires
	resultat = {
		"tranche_age": [
			frappe._dict(valeur=label, libelle=_(label), beneficiaires=n) for label, n in ages.items()
		]
	}
	for champ in champs:
		rangees = []
		for cle, n in comptes[champ].items():
			valeur = (
				max(variantes[cle], key=lambda v: ecriture(v, variantes[cle][v]))
				if champ == "commune" and cle
				else cle
			)
			rangees.append(frappe._dict(valeur=valeur, libelle=libelle(valeur), beneficiaires=n))
		resultat[champ] = trier(rangees, champ)
	return total, resultat


def ecriture(valeur: str, nombre: int) -> tuple:
	"""Which way of writing a commune to show: the most frequent, then one in mixed case with its
	accents (« Démoville » rather than « DEMOVILLE »)."""
	return (nombre, valeur != valeur.upper(), valeur != cle_recherche(valeur), valeur)


def trier(rangees: list[frappe._dict], champ: str) -> list[frappe._dict]:
	"""In the order of the field's options (communes: most frequent first), « Non renseigné » last."""
	options = (frappe.get_meta("Beneficiaire").get_field(champ).options or "").split("\n")
	ordre = {option: i for i, option in enumerate(options) if option}
	if champ == "commune" or not ordre:
		cle = lambda r: (not r.valeur, -r.beneficiaires, cle_recherche(r.valeur))  # noqa: E731
	else:
		cle = lambda r: (not r.valeur, ordre.get(r.valeur, len(ordre)), r.valeur)  # noqa: E731
	return sorted(rangees, key=cle)


def ressources(p: Perimetre, total_beneficiaires: int) -> list[frappe._dict] | None:
	"""Distinct beneficiaries per nature of resource (a person with several counts in each), and
	those with none recorded. None for a user who may not read resources (permlevel 1).

	The resources are rows of the file, two joins away from Accompagnement, which
	`frappe.get_list` cannot express: the permitted people are the query `frappe.get_list` builds
	(run=0, so it carries the structure criterion and User Permissions), and only the counting of
	their rows is written here, as overrides.get_group_by_count does. A derived table read first
	(STRAIGHT_JOIN), then each person's rows by the `parent` index: MariaDB ran `parent in (…)` as a
	dependent subquery (over 90 s on 1M accompaniments), and a plain join by scanning every
	resource row of the site (4.1 s instead of 1.5 s for 50,000 people)."""
	if not voit_ressources():
		return None
	personnes = frappe.get_list(
		"Accompagnement",
		fields=["`tabAccompagnement`.`beneficiaire` as beneficiaire"],
		filters=p.filtres(),
		distinct=True,
		order_by=None,
		limit_page_length=0,
		run=0,
	).replace("%", "%%")
	lignes = frappe.db.sql(
		f"""select ifnull(r.nature, '') as nature, count(distinct r.parent) as beneficiaires
		from ({personnes}) personnes
		straight_join `tabRessource Beneficiaire` r on r.parent = personnes.beneficiaire
			and r.parenttype = 'Beneficiaire' and r.parentfield = 'ressources'
		group by ifnull(r.nature, '') with rollup""",
		as_dict=True,
	)
	avec_ressource = next((ligne.beneficiaires for ligne in lignes if ligne.nature is None), 0)
	options = frappe.get_meta("Ressource Beneficiaire").get_field("nature").options.split("\n")
	rangees = sorted(
		(
			frappe._dict(
				valeur=ligne.nature, libelle=libelle(ligne.nature), beneficiaires=ligne.beneficiaires
			)
			for ligne in lignes
			if ligne.nature is not None
		),
		key=lambda r: options.index(r.valeur) if r.valeur in options else len(options),
	)
	rangees.append(
		frappe._dict(
			valeur="",
			libelle=_("Aucune ressource renseignée"),
			beneficiaires=max(total_beneficiaires - avec_ressource, 0),
		)
	)
	return rangees


def profil_beneficiaires(p: Perimetre, avec_ressources: bool = True) -> frappe._dict:
	"""Everything the Bénéficiaires report and the yearly report show about the people."""
	total, distributions = repartitions(p)
	effectifs = population(p, total)
	if avec_ressources:
		distributions["ressources"] = ressources(p, total)
	return frappe._dict(effectifs=effectifs, repartitions=distributions)


# --- Financial aids -------------------------------------------------------------------------------


def aides_financieres(p: Perimetre, periodicite: str | None = None) -> frappe._dict:
	"""Aid requests of the period (dated by the request) per nature — the typologies marked
	« aide financière » — and, when asked, per year or month: requested, granted, refused, still
	pending, paid; refusal rate (refused / decided) and average granted amount.

	Amounts (and payments, whose date is confidential too) only for a user who may read them: for
	the others they are not queried at all. A request under two natures counts in each, and once
	in the total."""
	montants = voit_montants()
	typologies_aide = frappe.get_list(
		"Type Accompagnement",
		filters={"aide_financiere": 1, **({"structure": p.structure} if p.structure else {})},
		pluck="name",
		order_by=None,
		limit_page_length=0,
	)
	periode = {"Année": [ANNEE], "Mois": [ANNEE, MOIS]}.get(periodicite or "", [])
	cles_periode = [champ.rsplit(" as ", 1)[1] for champ in periode]
	filtres = [*p.filtres(), ["Accompagnement", "aide_financiere", "=", 1]]
	par_nature = [
		*filtres,
		["Type Accompagnement Lien", "type_accompagnement", "in", typologies_aide or [""]],
	]

	champs = [*periode, "`tabAccompagnement`.`decision` as decision", NB_ACCOMPAGNEMENTS]
	if montants:
		champs += [
			"sum(`tabAccompagnement`.`montant_demande`) as montant_demande",
			"sum(`tabAccompagnement`.`montant_accorde`) as montant_accorde",
			"count(`tabAccompagnement`.`date_paiement`) as payees",
			# The granted amount of the paid ones, in the same pass (no CASE in get_list fields).
			"sum(`tabAccompagnement`.`montant_accorde` * (`tabAccompagnement`.`date_paiement` is not null))"
			" as montant_paye",
		]

	def interroger(avec_nature: bool) -> dict[tuple, frappe._dict]:
		groupes = (["typologie"] if avec_nature else []) + cles_periode
		lignes = _accompagnements(
			([TYPOLOGIE] if avec_nature else []) + champs,
			par_nature if avec_nature else filtres,
			", ".join([*groupes, "decision"]),
		)
		resultat: dict[tuple, frappe._dict] = {}
		for ligne in lignes:
			cle = tuple(ligne[g] for g in groupes)
			r = resultat.setdefault(cle, nouvelle_ligne_aide(montants))
			ajouter_decision(r, ligne, montants)
		for r in resultat.values():
			finir_ligne_aide(r, montants)
		return resultat

	noms = noms_typologies(set(typologies_aide))
	lignes = []
	for cle, r in interroger(avec_nature=True).items():
		typologie, periode_cle = cle[0], cle[1:]
		r.update(typologie=typologie, libelle=noms.get(typologie) or libelle(typologie))
		r.periode = libelle_periode(periode_cle, p)
		r.tri = periode_cle
		lignes.append(r)
	lignes.sort(key=lambda r: (r.tri, -r.demandes, cle_recherche(r.libelle)))
	total = additionner(interroger(avec_nature=False).values(), montants)
	return frappe._dict(lignes=lignes, total=total, montants=montants)


def nouvelle_ligne_aide(montants: bool) -> frappe._dict:
	r = frappe._dict(demandes=0, accordees=0, refusees=0, en_cours=0, sans_suite=0)
	if montants:
		r.update(payees=0, montant_demande=0.0, montant_accorde=0.0, montant_paye=0.0)
	return r


def ajouter_decision(r: frappe._dict, ligne: frappe._dict, montants: bool) -> None:
	decision = ligne.decision or ""
	n = ligne.accompagnements
	r.demandes += n
	if decision in DECISIONS_ACCORDEES:
		r.accordees += n
	elif decision == "Refusée":
		r.refusees += n
	elif decision == "Classée sans suite":
		r.sans_suite += n
	else:
		r.en_cours += n
	if montants:
		r.montant_demande += flt(ligne.montant_demande)
		r.payees += ligne.payees or 0
		r.montant_paye += flt(ligne.montant_paye)
		# Only a granted aid has a granted amount (the controller refuses one on a refusal).
		if decision in DECISIONS_ACCORDEES:
			r.montant_accorde += flt(ligne.montant_accorde)


def additionner(lignes, montants: bool) -> frappe._dict:
	total = nouvelle_ligne_aide(montants)
	for ligne in lignes:
		for champ in total:
			total[champ] += ligne[champ]
	finir_ligne_aide(total, montants)
	return total


def finir_ligne_aide(r: frappe._dict, montants: bool) -> None:
	r.taux_refus = taux(r.refusees, r.accordees + r.refusees)
	if montants:
		r.montant_moyen = round(r.montant_accorde / r.accordees, 2) if r.accordees else None


def libelle_periode(cle: tuple, p: Perimetre) -> str:
	if not cle:
		return p.libelle()
	if len(cle) == 1:
		return str(cle[0])
	annee, mois = cle
	return f"{MOIS_FR[mois - 1]} {annee}"


# --- Appointments ---------------------------------------------------------------------------------


def rendez_vous(p: Perimetre) -> frappe._dict:
	"""Appointments of the period per agent: honoured, missed, cancelled, to come, and past ones
	whose outcome is still to be recorded; attendance rate = honoured / (honoured + missed)."""
	filtres = [*p.filtres(realises=False), ["Accompagnement", "rendez_vous", "=", 1]]
	agent = "`tabAccompagnement`.`agent` as agent"
	nombre = "count(`tabAccompagnement`.`name`) as n"
	lignes = _accompagnements(
		[agent, "`tabAccompagnement`.`issue_rendez_vous` as issue", nombre], filtres, "agent, issue"
	)
	hier = date.fromordinal(getdate(today()).toordinal() - 1)
	a_renseigner = {}
	if p.debut <= hier:
		passes_sans_issue = [
			*p.filtres(realises=False, fin=min(p.fin, hier)),
			["Accompagnement", "rendez_vous", "=", 1],
			["Accompagnement", "issue_rendez_vous", "is", "not set"],
		]
		a_renseigner = {
			ligne.agent or "": ligne.n
			for ligne in _accompagnements([agent, nombre], passes_sans_issue, "agent")
		}
	par_agent: dict[str, frappe._dict] = {}
	for ligne in lignes:
		r = par_agent.setdefault(ligne.agent or "", nouvelle_ligne_rdv())
		r.rendez_vous += ligne.n
		champ = {"Honoré": "honores", "Non honoré": "non_honores", "Annulé": "annules"}.get(ligne.issue)
		r[champ or "sans_issue"] += ligne.n
	for agent_id, r in par_agent.items():
		r.agent = agent_id
		r.nom_agent = frappe.utils.get_fullname(agent_id) if agent_id else _(NON_RENSEIGNE)
		r.a_renseigner = a_renseigner.get(agent_id, 0)
	lignes = sorted(par_agent.values(), key=lambda r: cle_recherche(r.nom_agent))
	total = nouvelle_ligne_rdv()
	for r in lignes:
		for champ in ("rendez_vous", "honores", "non_honores", "annules", "sans_issue", "a_renseigner"):
			total[champ] += r[champ]
	for r in [*lignes, total]:
		r.a_venir = r.sans_issue - r.a_renseigner
		r.taux_presence = taux(r.honores, r.honores + r.non_honores)
	return frappe._dict(lignes=lignes, total=total)


def nouvelle_ligne_rdv() -> frappe._dict:
	return frappe._dict(rendez_vous=0, honores=0, non_honores=0, annules=0, sans_issue=0, a_renseigner=0)
