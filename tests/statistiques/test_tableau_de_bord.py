"""The figures of the « Suivi social » workspace (issue 8 §2): number cards and charts.

Each figure is checked on the hand-built dataset of jeu_tableau_de_bord.py (expected numbers written
here), as the users of each structure, in the process and over HTTP through Frappe's whole request
cycle; the Agent d'accueil never gets an amount, whatever the path: the workspace, the Number Card
and Dashboard Chart APIs with a card or chart of their own making, the app's methods, caches."""

import json
import re
from urllib.parse import quote

import frappe
import pytest
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.doctype.number_card.number_card import get_percentage_difference, get_result
from frappe.utils import add_years, today

from suivi_social.dossiers import tableau_de_bord
from suivi_social.statistiques import agregats
from tests.conftest import as_user
from tests.factories import jeton_api
from tests.securite.test_http import get, post
from tests.statistiques.jeu_tableau_de_bord import AIDE, DOM, LOG, construire

CARTES = {
	"actifs": "Beneficiaires actifs",
	"nouveaux": "Nouveaux dossiers du mois",
	"mois": "Accompagnements du mois",
	"retard": "Rappels en retard",
}
CARTE_AIDES = "Aides accordees de l annee"
METHODE_AIDES = "suivi_social.dossiers.tableau_de_bord.aides_accordees_de_l_annee"
SOURCES = {
	"age": "beneficiaires_par_age",
	"genre": "beneficiaires_par_genre",
	"situation": "beneficiaires_par_situation_familiale",
	"commune": "beneficiaires_par_commune",
	"types": "accompagnements_par_type_et_par_mois",
}
# A card of the test's own (not shown anywhere): the amounts granted, with Frappe's percentage stats.
CARTE_SOMME = "Tableau test somme des aides"

# What each structure's users read (in jeu_tableau_de_bord.py's docstring, the records behind them).
# Distributions: (labels, values), in the order of the brackets or of the field's options, without
# the values at 0, « Non renseigné » last.
ATTENDU = {
	"a": {
		"actifs": 5,  # b1–b5; not b6 Inactif, b7 Archivé, b8 Décédé
		"nouveaux": 6,  # b1–b5 and b7, created this month; b6 and b8 last month
		"mois": 8,  # a1–a3, a8, a10, g1, g2, g6; not a4 Planifié, a5 Annulé, a9 Non honoré
		"retard": 2,  # r1, r2
		"aides": "1 650,50 €",  # g1 300 + g2 150,50 (opened this year) + g3 1 200 (decided this year)
		# b1 is 24 (25 tomorrow), b2 25 today, b3 40, b4 70, b5 without a date of birth
		"age": (
			["Moins de 25 ans", "25 à 34 ans", "35 à 44 ans", "65 ans et plus", "Non renseigné"],
			[1, 1, 1, 1, 1],
		),
		"genre": (["Femme", "Homme", "Autre", "Non renseigné"], [2, 1, 1, 1]),
		"situation": (
			["Célibataire", "Marié(e)", "Divorcé(e)", "Veuf ou veuve", "Non renseigné"],
			[1, 1, 1, 1, 1],
		),
		"commune": (["Démoville", "Autreville", "Non renseigné"], [3, 1, 1]),
	},
	"b": {
		"actifs": 2,
		"nouveaux": 3,
		"mois": 2,
		"retard": 1,
		"aides": "9 999,00 €",
		"age": (["25 à 34 ans", "55 à 64 ans"], [1, 1]),
		"genre": (["Femme", "Homme"], [1, 1]),
		"situation": (["Non renseigné"], [2]),
		"commune": (["Villebis"], [2]),
	},
}


@pytest.fixture(scope="module")
def jeu(frappe_site):
	jeu = construire()
	# g4 and g5 were recorded two years ago: the amounts card's « since last year » has a base.
	for nom in frappe.get_all(
		"Accompagnement", {"structure": jeu.a, "montant_accorde": ("in", [2500, 4500])}, pluck="name"
	):
		frappe.db.set_value(
			"Accompagnement", nom, "creation", add_years(jeu.dates.fin_n1, -1), update_modified=False
		)
	if not frappe.db.exists("Number Card", CARTE_SOMME):
		frappe.get_doc(
			{
				"doctype": "Number Card",
				"label": CARTE_SOMME,
				"type": "Document Type",
				"document_type": "Accompagnement",
				"function": "Sum",
				"aggregate_function_based_on": "montant_accorde",
				"filters_json": "[]",
				"show_percentage_stats": 1,
				"stats_time_interval": "Yearly",
				"is_public": 1,
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	return jeu


@pytest.fixture(scope="module")
def cles(jeu):
	"""An API key for each user of the dataset (committed, reused by later runs)."""
	tokens = {}
	for cle, user in jeu.comptes.items():
		tokens[cle] = jeton_api(user)
	return tokens


# --- How the desk asks for each figure ------------------------------------------------------------


def filtres_de_la_carte(nom: str) -> list:
	"""The filters the desk sends with a card: its filters, and its dynamic ones evaluated in the
	browser (frappe.dashboard_utils.get_all_filters; the only expression used is today's date)."""
	carte = frappe.get_doc("Number Card", nom)
	filtres = json.loads(carte.filters_json or "[]")
	for f in json.loads(carte.dynamic_filters_json or "[]"):
		assert f[3] == "frappe.datetime.get_today()", f
		filtres.append([*f[:3], today()])
	return filtres


def valeur_de_la_carte(nom: str):
	"""A card's number as the desk asks for it: Frappe's get_result for a Document Type card, the
	card's own method for a Custom one (« Rappels en retard », dossiers/rappels.py)."""
	carte = frappe.get_doc("Number Card", nom)
	if carte.type == "Custom":
		return frappe.get_attr(carte.method)(filters="[]")["value"]
	return get_result(carte.as_json(), json.dumps(filtres_de_la_carte(nom)))


def chiffres(user: str) -> dict:
	"""Every figure, as `user` reads them through the code the desk calls."""
	with as_user(user):
		resultat = {cle: valeur_de_la_carte(nom) for cle, nom in CARTES.items()}
		resultat["aides"] = tableau_de_bord.aides_accordees_de_l_annee()
		for cle, source in SOURCES.items():
			resultat[cle] = module_source(source).get(chart_name=source, refresh=1)
	return resultat


def module_source(source: str):
	return frappe.get_module(f"suivi_social.dossiers.dashboard_chart_source.{source}.{source}")


def methode_source(source: str) -> str:
	return f"/api/method/suivi_social.dossiers.dashboard_chart_source.{source}.{source}.get"


def serie(graphique: dict) -> list:
	(dataset,) = graphique["datasets"]
	return dataset["values"]


def verifier_repartitions(resultat: dict, attendu: dict) -> None:
	for cle in ("age", "genre", "situation", "commune"):
		labels, valeurs = attendu[cle]
		assert (resultat[cle]["labels"], serie(resultat[cle])) == (labels, valeurs), cle


def libelle_mois(jour) -> str:
	return f"{tableau_de_bord.MOIS_COURTS[jour.month - 1]} {jour.year}"


def par_mois(graphique: dict) -> dict:
	"""{series: {month label: value}} without the months at 0."""
	return {
		d["name"]: {m: v for m, v in zip(graphique["labels"], d["values"], strict=True) if v}
		for d in graphique["datasets"]
	}


def attendu_par_mois(graphique: dict, attendu: dict) -> dict:
	"""The expected {series: {day: count}}, by month label, without the months out of the chart."""
	resultat = {}
	for nom, jours in attendu.items():
		mois = {}
		for jour, n in jours.items():
			if libelle_mois(jour) in graphique["labels"]:
				mois[libelle_mois(jour)] = mois.get(libelle_mois(jour), 0) + n
		if mois:
			resultat[nom] = mois
	return resultat


def types_attendus_a(d) -> dict:
	return {
		AIDE: {d.t: 3, d.fin_n1: 3},  # g1, g2, g6 today; g3, g4, g5 on 31/12 of last year
		DOM: {d.t: 3, d.m1: 1},  # a1, a2, a10 today (not a4, a5, a9); a6 last month (a7: 13 months ago)
		LOG: {d.t: 2},  # a2, a3
		"Non renseigné": {d.t: 1},  # a8, without its types
	}


# --- Figures, structure by structure --------------------------------------------------------------


@pytest.mark.parametrize("structure, role", [("a", "resp_a"), ("b", "resp_b")])
def test_chiffres_du_responsable(jeu, structure, role):
	resultat = chiffres(jeu.comptes[role])
	attendu = ATTENDU[structure]
	assert {cle: resultat[cle] for cle in (*CARTES, "aides")} == {
		cle: attendu[cle] for cle in (*CARTES, "aides")
	}
	verifier_repartitions(resultat, attendu)


def test_accompagnements_par_type_et_par_mois(jeu):
	d = jeu.dates
	graphique = chiffres(jeu.comptes["resp_a"])["types"]
	# The twelve months up to this one, oldest first.
	assert len(graphique["labels"]) == 12
	assert graphique["labels"][-1] == libelle_mois(d.t)
	assert graphique["labels"][-2] == libelle_mois(d.m1)
	assert par_mois(graphique) == attendu_par_mois(graphique, types_attendus_a(d))
	# Most frequent types first, « Non renseigné » last.
	noms = [s["name"] for s in graphique["datasets"]]
	assert noms[-1] == "Non renseigné"
	totaux = [sum(s["values"]) for s in graphique["datasets"][:-1]]
	assert totaux == sorted(totaux, reverse=True)

	graphique_b = chiffres(jeu.comptes["resp_b"])["types"]
	assert par_mois(graphique_b) == {DOM: {libelle_mois(d.t): 1}, AIDE: {libelle_mois(d.t): 1}}


def test_types_les_moins_frequents_regroupes(jeu, monkeypatch):
	monkeypatch.setattr(tableau_de_bord, "NOMBRE_TYPES_AFFICHES", 2)
	d = jeu.dates
	with as_user(jeu.comptes["resp_a"]):
		graphique = tableau_de_bord.accompagnements_par_type_et_par_mois()
	attendu = types_attendus_a(d)
	attendu["Autres types"] = attendu.pop(LOG)
	assert par_mois(graphique) == attendu_par_mois(graphique, attendu)
	assert [s["name"] for s in graphique["datasets"]][2:] == ["Autres types", "Non renseigné"]


@pytest.mark.parametrize("role", ["ts_a", "acc_a"])
def test_memes_effectifs_pour_chaque_role_de_la_structure(jeu, role):
	"""Counts are not confidential: the Travailleur social and the Agent d'accueil of A read A's."""
	with as_user(jeu.comptes[role]):
		for cle, nom in CARTES.items():
			assert valeur_de_la_carte(nom) == ATTENDU["a"][cle], cle
		resultat = {cle: module_source(source).get() for cle, source in SOURCES.items()}
	verifier_repartitions(resultat, ATTENDU["a"])


def test_filtre_sur_une_autre_structure(jeu):
	"""The chart's filter (structure) narrows, never widens: B's files stay out of A's charts."""
	with as_user(jeu.comptes["resp_a"]):
		# Nothing: the desk's chart says « Aucune donnée ».
		assert tableau_de_bord.repartition_par_genre({"structure": jeu.b}) == {}
		graphique = tableau_de_bord.repartition_par_genre(json.dumps({"structure": jeu.a}))
		assert serie(graphique) == ATTENDU["a"]["genre"][1]


def test_tranches_d_age_aux_bornes():
	assert [agregats.tranche_d_age(age) for age in (0, 24, 25, 34, 35, 64, 65, 104)] == [
		"Moins de 25 ans",
		"Moins de 25 ans",
		"25 à 34 ans",
		"25 à 34 ans",
		"35 à 44 ans",
		"55 à 64 ans",
		"65 ans et plus",
		"65 ans et plus",
	]
	assert agregats.tranche_d_age(None) == agregats.tranche_d_age(-1) == "Non renseigné"


def test_memes_tranches_d_age_que_les_rapports(jeu):
	"""The chart's brackets are the reports' (one table, statistiques/agregats.TRANCHES_AGE)."""
	from suivi_social.statistiques.report.profil_des_beneficiaires import profil_des_beneficiaires

	tranches = [label for _minimum, label in agregats.TRANCHES_AGE]
	with as_user(jeu.comptes["resp_a"]):
		graphique = module_source(SOURCES["age"]).get(chart_name=SOURCES["age"], refresh=1)
		_colonnes, lignes, *_reste = profil_des_beneficiaires.execute(
			{
				"date_debut": "2000-01-01",
				"date_fin": today(),
				"structure": jeu.a,
				"repartition": "tranche_age",
			}
		)
	assert set(graphique["labels"]) <= {*tranches, "Non renseigné"}
	assert [ligne["libelle"] for ligne in lignes][: len(tranches)] == tranches


# --- Over HTTP --------------------------------------------------------------------------------------


def chiffres_http(token: str) -> dict:
	resultat = {}
	for cle, nom in CARTES.items():
		carte = frappe.get_doc("Number Card", nom)
		if carte.type == "Custom":
			r = post(token, f"/api/method/{carte.method}", filters="[]")
			assert r.status_code == 200, r.json
			resultat[cle] = r.json["message"]["value"]
			continue
		r = post(
			token,
			"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
			doc=carte.as_json(),
			filters=filtres_de_la_carte(nom),
		)
		assert r.status_code == 200, r.json
		resultat[cle] = r.json["message"]
	r = post(token, f"/api/method/{METHODE_AIDES}", filters="[]")
	assert r.status_code == 200, r.json
	resultat["aides"] = r.json["message"]
	for cle, source in SOURCES.items():
		# As the chart widget sends it.
		r = post(token, methode_source(source), chart_name=source, refresh=1)
		assert r.status_code == 200, r.json
		resultat[cle] = r.json["message"]
	return resultat


@pytest.mark.parametrize("structure, role", [("a", "resp_a"), ("b", "resp_b")])
def test_chiffres_par_http(jeu, cles, structure, role):
	resultat = chiffres_http(cles[role])
	attendu = ATTENDU[structure]
	assert {cle: resultat[cle] for cle in (*CARTES, "aides")} == {
		cle: attendu[cle] for cle in (*CARTES, "aides")
	}
	verifier_repartitions(resultat, attendu)
	if structure == "a":
		graphique = resultat["types"]
		assert par_mois(graphique) == attendu_par_mois(graphique, types_attendus_a(jeu.dates))


def test_espace_de_travail_par_http(jeu, cles):
	page = {"name": "Suivi social", "title": "Suivi social", "public": 1}
	cartes = {}
	for role in ("resp_a", "acc_a"):
		r = post(cles[role], "/api/method/frappe.desk.desktop.get_desktop_page", page=page)
		assert r.status_code == 200, r.json
		message = r.json["message"]
		cartes[role] = [c["label"] for c in message["number_cards"]["items"]]
		# The late rappels per agent: the Responsable's chart (Dashboard Chart roles).
		assert [c["label"] for c in message["charts"]["items"]] == [
			"Accompagnements par type et par mois",
			"Par tranche d'âge",
			"Par genre",
			"Par situation familiale",
			"Par commune",
			*(["Rappels en retard par agent"] if role == "resp_a" else []),
		]
	communes = [
		# Everyone's own rappels (dossiers/rappels.py).
		"Mes rappels du jour",
		"Mes rappels en retard",
		"Mes rappels de la semaine",
		"Bénéficiaires actifs",
		"Nouveaux dossiers ce mois",
		"Accompagnements ce mois",
		"Rappels en retard",
	]
	# The appointments' card of issue 9 (the agent's own upcoming appointments) comes last.
	autres = ["Mes rendez-vous à venir"]
	assert cartes["resp_a"] == [*communes, "Aides accordées cette année", *autres]
	assert cartes["acc_a"] == [*communes, *autres]


# --- No amount for the Agent d'accueil ------------------------------------------------------------

# Every amount of the dataset is at least 150 € and none looks like a year, every count is under 50:
# no number of 100 or more may reach the Agent d'accueil.
PLAFOND_DES_EFFECTIFS = 100


def nombres(valeur) -> list[float]:
	if isinstance(valeur, bool):
		return []
	if isinstance(valeur, int | float):
		return [valeur]
	if isinstance(valeur, str):
		# A year is a label of Frappe's time series (no amount of the dataset looks like one).
		if re.fullmatch(r"(19|20)\d\d", valeur):
			return []
		try:
			return [float(valeur)]
		except ValueError:
			return []
	if isinstance(valeur, dict):
		return [n for v in valeur.values() for n in nombres(v)]
	if isinstance(valeur, list | tuple):
		return [n for v in valeur for n in nombres(v)]
	return []


def sans_montant(valeur) -> bool:
	return all(abs(n) < PLAFOND_DES_EFFECTIFS for n in nombres(valeur))


# Cards and charts a client may send to the APIs, which take them as given.
CARTES_FORGEES = [
	{"function": "Sum", "aggregate_function_based_on": "montant_accorde"},
	{"function": "Maximum", "aggregate_function_based_on": "montant_accorde*1"},
	{"function": "Average", "aggregate_function_based_on": "`tabAccompagnement`.`montant_accorde`"},
	{"function": "Sum", "aggregate_function_based_on": "montant_demande"},
]
GRAPHIQUES_FORGES = [
	{"chart_type": "Sum", "based_on": "date", "value_based_on": "montant_accorde"},
	{"chart_type": "Sum", "based_on": "date", "value_based_on": "montant_accorde*1"},
	{
		"chart_type": "Group By",
		"group_by_based_on": "statut",
		"group_by_type": "Sum",
		"aggregate_function_based_on": "montant_accorde",
	},
	{"chart_type": "Group By", "group_by_based_on": "montant_accorde", "group_by_type": "Count"},
]


def carte_forgee(valeurs: dict) -> str:
	return json.dumps(
		{"name": "forgée", "type": "Document Type", "document_type": "Accompagnement", **valeurs}
	)


def graphique_forge(valeurs: dict) -> str:
	return json.dumps(
		{
			"name": "forgé",
			"document_type": "Accompagnement",
			"timespan": "Last Year",
			"time_interval": "Yearly",
			**valeurs,
		}
	)


def test_la_carte_des_aides_n_est_pas_celle_de_l_accueil(jeu):
	with as_user(jeu.comptes["acc_a"]):
		assert not frappe.has_permission("Number Card", doc=CARTE_AIDES)
		assert not frappe.has_permission("Number Card", doc=CARTE_SOMME)
		assert frappe.has_permission("Number Card", doc=CARTES["actifs"])
		with pytest.raises(frappe.PermissionError):
			tableau_de_bord.aides_accordees_de_l_annee()
	with as_user(jeu.comptes["resp_a"]):
		assert frappe.has_permission("Number Card", doc=CARTE_AIDES)


def test_l_administrateur_voit_les_effectifs_sans_les_montants(jeu):
	"""The Administrateur Suivi social reads every structure's counts, and no amount: their role has
	no permission level 1 on Accompagnement (accompagnement.json), as the yearly report shows too
	(test_rapport_annuel.py, « sans_montants »)."""
	from frappe.model import get_permitted_fields

	from suivi_social.roles import ADMINISTRATEUR
	from tests.factories import make_user

	admin = make_user("admin@tableau.test", ADMINISTRATEUR)
	with as_user(admin):
		assert "montant_accorde" not in get_permitted_fields("Accompagnement")
		assert not frappe.has_permission("Number Card", doc=CARTE_AIDES)
		with pytest.raises(frappe.PermissionError):
			tableau_de_bord.aides_accordees_de_l_annee()
		filtre_a = [["Beneficiaire", "structure", "=", jeu.a]]
		carte = frappe.get_doc("Number Card", CARTES["actifs"]).as_json()
		filtres = filtres_de_la_carte(CARTES["actifs"]) + filtre_a
		assert get_result(carte, json.dumps(filtres)) == ATTENDU["a"]["actifs"]
		age = module_source(SOURCES["age"]).get(
			chart_name=SOURCES["age"], filters=json.dumps({"structure": jeu.a}), refresh=1
		)
	assert (age["labels"], serie(age)) == ATTENDU["a"]["age"]


@pytest.mark.parametrize("valeurs", CARTES_FORGEES)
def test_carte_forgee_sans_montant(jeu, valeurs):
	with as_user(jeu.comptes["resp_a"]):
		# The same card gives the Responsable the amounts: the refusal below is the rule's.
		assert not sans_montant(get_result(carte_forgee(valeurs), "[]"))
	with as_user(jeu.comptes["acc_a"]):
		assert get_result(carte_forgee(valeurs), "[]") == 0


@pytest.mark.parametrize("valeurs", GRAPHIQUES_FORGES)
def test_graphique_forge_sans_montant(jeu, valeurs):
	with as_user(jeu.comptes["resp_a"]):
		assert not sans_montant(dashboard_chart.get(chart=graphique_forge(valeurs), no_cache=1))
	with as_user(jeu.comptes["acc_a"]):
		try:
			resultat = dashboard_chart.get(chart=graphique_forge(valeurs), no_cache=1)
		except Exception as exc:  # the query without its confidential column may fail: no figure either
			resultat = str(exc)
	assert sans_montant(resultat), resultat


def test_evolution_en_pourcentage_sans_montant(jeu):
	"""get_percentage_difference divides the given result by the previous period's: for a card on
	amounts, it would hand back the previous amount to anyone who sends a result."""
	doc = json.dumps({"name": CARTE_SOMME})
	with as_user(jeu.comptes["resp_a"]):
		# 2 500 + 4 500 recorded two years ago: 14 000 now is +100 %.
		assert get_percentage_difference(doc, "[]", 14000) == 100
	with as_user(jeu.comptes["acc_a"]):
		assert get_percentage_difference(doc, "[]", 14000) is None


def test_accueil_sans_montant_par_http(jeu, cles):
	token = cles["acc_a"]
	r = post(token, f"/api/method/{METHODE_AIDES}")
	assert r.status_code == 403
	assert sans_montant(r.json)
	r = get(token, f"/api/resource/Number%20Card/{quote(CARTE_AIDES)}")
	assert r.status_code == 403
	for valeurs in CARTES_FORGEES:
		r = post(
			token,
			"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
			doc=carte_forgee(valeurs),
			filters="[]",
		)
		assert r.status_code == 200 and r.json["message"] == 0, (valeurs, r.json)
	for valeurs in GRAPHIQUES_FORGES:
		r = post(
			token,
			"/api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			chart=graphique_forge(valeurs),
			no_cache=1,
		)
		assert sans_montant(r.json), (valeurs, r.json)
	r = post(
		token,
		"/api/method/frappe.desk.doctype.number_card.number_card.get_percentage_difference",
		doc=json.dumps({"name": CARTE_SOMME}),
		filters="[]",
		result=14000,
	)
	assert r.status_code == 200 and r.json.get("message") is None, r.json
	# The same list query as /api/resource: an expression around the amount (Frappe 15.44.2 let
	# any function containing a "*" through, frappe_fixes fix 1).
	r = get(
		token,
		"/api/resource/Accompagnement",
		fields=["name", "max(montant_accorde*1) as m", "sum(montant_accorde) + count(*) as n"],
		filters=[["structure", "=", jeu.a]],
		limit_page_length=0,
	)
	assert r.status_code == 200
	assert r.json["data"] and all(set(row) == {"name"} for row in r.json["data"])


# --- Caches -----------------------------------------------------------------------------------------


def test_aucun_cache_partage_entre_utilisateurs(jeu):
	"""Frappe's dashboard charts read a shared `chart-data:<name>` key (utils/dashboard.py
	cache_source) that 15.44.2 never writes: a built-in chart computes for each user. The app's
	sources and cards do not cache at all. Checked on a Group By chart of Frappe's own."""
	nom = "Tableau test statuts"
	frappe.get_doc(
		{
			"doctype": "Dashboard Chart",
			"chart_name": nom,
			"chart_type": "Group By",
			"document_type": "Beneficiaire",
			"group_by_based_on": "statut",
			"group_by_type": "Count",
			"filters_json": "[]",
			"type": "Bar",
			"is_public": 1,
		}
	).insert(ignore_permissions=True)
	lus = {}
	for role in ("resp_a", "resp_b", "acc_a"):
		with as_user(jeu.comptes[role]):
			graphique = dashboard_chart.get(chart_name=nom)
		lus[role] = dict(zip(graphique["labels"], serie(graphique), strict=True))
	for role in ("resp_a", "resp_b"):
		chiffres(jeu.comptes[role])
	assert lus["resp_a"] == lus["acc_a"] == {"Actif": 5, "Inactif": 1, "Archivé": 1, "Décédé": 1}
	assert lus["resp_b"] == {"Actif": 2, "Archivé": 1}
	assert not frappe.cache.get_keys("chart-data:")


def test_index_des_chiffres():
	"""Each figure is read from one index (on_doctype_update of each DocType, created by migrate)."""
	for doctype, index in (
		("Beneficiaire", "structure_statut_date_naissance_index"),
		("Beneficiaire", "structure_statut_genre_index"),
		("Beneficiaire", "structure_statut_situation_familiale_index"),
		("Beneficiaire", "structure_statut_commune_index"),
		("Beneficiaire", "structure_creation_index"),
		("Accompagnement", "statistiques_structure_date"),
		("Accompagnement", "aides_structure_decision"),
		("Type Accompagnement Lien", "parent_parenttype_type_accompagnement"),
		("Rappel", "structure_statut_date_echeance_index"),
	):
		assert frappe.db.has_index(f"tab{doctype}", index), index
