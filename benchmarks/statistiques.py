"""Banc d'essai : les statistiques d'un Responsable de structure, par HTTP, face au SQL brut.

	env/bin/python benchmarks/generer.py            # une fois : les données (site bench.localhost)
	env/bin/python benchmarks/statistiques.py       # quelques minutes
	env/bin/python benchmarks/statistiques.py --explain   # et le plan (EXPLAIN) de chaque requête

En tant que resp-a@banc.test (--utilisateur), session ouverte par /api/method/login, chaque appel
passe par tout le cycle d'une requête Frappe (werkzeug Client sur l'application WSGI, comme
liste_fichiers.py), et se mesure à côté de son **plancher** : la même agrégation en SQL brut sur la
structure de l'utilisateur, sans aucune règle de permission, dans le même processus et le même
lancement :
- le rapport d'activité annuel (suivi_social.statistiques.rapport_annuel.rapport_annuel, année
  --annee, structure de l'utilisateur), deux fois : compté (la mémoire de la structure invalidée
  avant chaque appel, comme après une modification de ses données) et relu (rien n'a changé,
  statistiques/memoire.py) ; plancher : les mêmes agrégations, une requête SQL par
  tableau (activité par typologie et par mois, effectifs nouveaux / déjà suivis, âges, dossiers,
  ressources, aides, rendez-vous) ;
- l'espace de travail : chaque Number Card et chaque Dashboard Chart des modules de l'application,
  appelés comme le bureau les appelle (number_card.get_result avec la carte, ou la méthode d'une
  carte « Custom » ; dashboard_chart.get, ou la méthode de la source d'un graphique « Custom ») ;
  plancher : la même requête sans permission (cartes « Document Type » : la requête que Frappe
  construit pour leurs filtres, plus la structure) ;
- chaque Script Report standard de l'application (frappe.desk.query_report.run, avec les filtres
  par défaut du bureau sur l'année --annee).
Objectifs (ticket 8) : rapport annuel < 2 s et ≤ 2 × le plancher ; toutes les cartes et tous les
graphiques de l'espace de travail < 1 s ensemble.

Avant de mesurer, le script vérifie que chaque plancher donne les mêmes chiffres que l'appel HTTP
(les figures clés) : un plancher qui ne calcule pas la même chose ne vaudrait rien."""

import argparse
import json
import re
import sys
import warnings
from datetime import date, timedelta

import generer
from liste_fichiers import Client, mesurer, p

STATUTS_REALISES = "('À traiter', 'En cours', 'Terminé')"
# La jointure de frappe.get_list (parent et parenttype, lus dans l'index (parent, parenttype,
# type_accompagnement) de Type Accompagnement Lien : `parentfield` en plus ferait lire la table).
LIEN = "left join `tabType Accompagnement Lien` l on l.parent = a.name and l.parenttype = 'Accompagnement'"
# Accompagnements comptés comme activité (statistiques/perimetre.py) sur la période.
REALISES = (
	"a.structure = %(s)s and a.date between %(debut)s and %(fin)s "
	f"and a.statut in {STATUTS_REALISES} and ifnull(a.issue_rendez_vous, '') != 'Non honoré'"
)

# --- planchers : les agrégations en SQL brut -------------------------------------------------------

SQL = {
	# Par typologie (Accompagnement.resumer_types) : le type seul lu dans l'index de l'accompagnement,
	# la jointure pour ceux qui en ont plusieurs seulement, une personne comptée une fois par type.
	"typologies": f"""select t, count(*), count(distinct b) from (
			select a.typologie_seule as t, a.beneficiaire as b from `tabAccompagnement` a
			where {REALISES} and a.plusieurs_typologies = 0
			union all
			select l.type_accompagnement, a.beneficiaire from `tabAccompagnement` a {LIEN}
			where {REALISES} and a.plusieurs_typologies = 1) lignes
		group by t""",
	"total": f"""select count(*), count(distinct a.beneficiaire) from `tabAccompagnement` a where {REALISES}""",
	"mois": f"""select year(a.date), month(a.date), count(distinct a.name), count(distinct a.beneficiaire)
		from `tabAccompagnement` a where {REALISES} group by 1, 2""",
	# Personnes accompagnées dans la période (A), jusqu'à sa fin (B), avant son début (C) :
	# nouveaux = B − C. Trois comptes séparés : plus rapides, mesuré, qu'un seul passage avec trois
	# count(distinct if(…)) (2 s contre 1,7 s) ou qu'un min(date) par personne (6 s).
	"population": f"""select count(distinct a.beneficiaire) from `tabAccompagnement` a where {REALISES}""",
	"population_jusqu_a_la_fin": f"""select count(distinct a.beneficiaire) from `tabAccompagnement` a
		where a.structure = %(s)s and a.date <= %(fin)s and a.statut in {STATUTS_REALISES}
			and ifnull(a.issue_rendez_vous, '') != 'Non honoré'""",
	"population_avant": f"""select count(distinct a.beneficiaire) from `tabAccompagnement` a
		where a.structure = %(s)s and a.date < %(debut)s and a.statut in {STATUTS_REALISES}
			and ifnull(a.issue_rendez_vous, '') != 'Non honoré'""",
	# Une personne a une seule combinaison de ces valeurs : chaque répartition (âge au dernier jour,
	# genre, commune, situation, logement) est une somme de ces groupes.
	"profil": f"""select b.date_naissance, b.genre, b.commune, b.situation_familiale, b.mode_hebergement,
			count(distinct a.beneficiaire)
		from `tabAccompagnement` a join `tabBeneficiaire` b on b.name = a.beneficiaire
		where {REALISES} group by 1, 2, 3, 4, 5""",
	"ressources": f"""select ifnull(r.nature, ''), count(distinct r.parent)
		from (select distinct a.beneficiaire from `tabAccompagnement` a where {REALISES}) personnes
		join `tabRessource Beneficiaire` r on r.parent = personnes.beneficiaire
			and r.parenttype = 'Beneficiaire' and r.parentfield = 'ressources'
		group by 1 with rollup""",
	"aides_par_nature": f"""select l.type_accompagnement, a.decision, count(distinct a.name),
			sum(a.montant_demande), sum(a.montant_accorde), count(a.date_paiement),
			sum(if(a.date_paiement is null, 0, a.montant_accorde))
		from `tabAccompagnement` a {LIEN}
		where {REALISES} and a.aide_financiere = 1 and l.type_accompagnement in (
			select t.name from `tabType Accompagnement` t where t.structure = %(s)s and t.aide_financiere = 1)
		group by 1, 2""",
	"aides_total": f"""select a.decision, count(*), sum(a.montant_demande), sum(a.montant_accorde),
			count(a.date_paiement), sum(if(a.date_paiement is null, 0, a.montant_accorde))
		from `tabAccompagnement` a where {REALISES} and a.aide_financiere = 1 group by 1""",
	"rendez_vous": """select a.agent, a.issue_rendez_vous, count(*),
			sum(a.issue_rendez_vous is null and a.date <= %(hier)s)
		from `tabAccompagnement` a
		where a.structure = %(s)s and a.date between %(debut)s and %(fin)s and a.rendez_vous = 1
		group by 1, 2""",
	# Espace de travail (dossiers/tableau_de_bord.py).
	"aides_accordees_de_l_annee": """select sum(a.montant_accorde) from `tabAccompagnement` a
		where a.structure = %(s)s and a.decision in ('Accordée', 'Accordée partiellement')
			and (a.date_decision between %(debut_annee)s and %(fin_annee)s
				or (a.date_decision is null and a.date between %(debut_annee)s and %(fin_annee)s))""",
	"actifs_par_genre": """select genre, count(*) from `tabBeneficiaire`
		where structure = %(s)s and statut = 'Actif' group by genre""",
	"actifs_par_situation": """select situation_familiale, count(*) from `tabBeneficiaire`
		where structure = %(s)s and statut = 'Actif' group by situation_familiale""",
	"actifs_par_commune": """select commune, count(*) from `tabBeneficiaire`
		where structure = %(s)s and statut = 'Actif' group by commune""",
	"actifs_par_age": """select timestampdiff(year, date_naissance, %(aujourdhui)s) as age, count(*)
		from `tabBeneficiaire` where structure = %(s)s and statut = 'Actif' group by age""",
	"types_par_mois": f"""select a.typologie_seule, a.date, count(*) from `tabAccompagnement` a
		where a.structure = %(s)s and a.plusieurs_typologies = 0
			and a.date between %(debut_12_mois)s and %(aujourdhui)s
			and a.statut in {STATUTS_REALISES} and ifnull(a.issue_rendez_vous, '') != 'Non honoré'
		group by a.date, a.typologie_seule
		union all
		select l.type_accompagnement, a.date, count(*) from `tabAccompagnement` a {LIEN}
		where a.structure = %(s)s and a.plusieurs_typologies = 1
			and a.date between %(debut_12_mois)s and %(aujourdhui)s
			and a.statut in {STATUTS_REALISES} and ifnull(a.issue_rendez_vous, '') != 'Non honoré'
		group by a.date, l.type_accompagnement""",
}

# Ce que calcule chaque appel, en requêtes du plancher.
PLANCHER_RAPPORT_ANNUEL = (
	"typologies",
	"total",
	"mois",
	"population",
	"population_jusqu_a_la_fin",
	"population_avant",
	"profil",
	"ressources",
	"aides_par_nature",
	"aides_total",
	"rendez_vous",
)
PLANCHERS_RAPPORTS = {
	"Activite par typologie": ("typologies", "total"),
	"Profil des beneficiaires": (
		"population",
		"population_jusqu_a_la_fin",
		"population_avant",
		"profil",
	),  # répartition par défaut : tranche d'âge
	"Aides financieres": ("aides_par_nature", "aides_total"),
	"Rendez-vous": ("rendez_vous",),
}
PLANCHERS_METHODES = {  # cartes « Custom » et sources de graphiques, par méthode
	"aides_accordees_de_l_annee": ("aides_accordees_de_l_annee",),
	"beneficiaires_par_genre": ("actifs_par_genre",),
	"beneficiaires_par_situation_familiale": ("actifs_par_situation",),
	"beneficiaires_par_commune": ("actifs_par_commune",),
	"beneficiaires_par_age": ("actifs_par_age",),
	"accompagnements_par_type_et_par_mois": ("types_par_mois",),
}
# Les expressions des filtres dynamiques des cartes, évaluées par le bureau (frappe.dashboard_utils).
EXPRESSIONS = {
	"frappe.datetime.get_today()": lambda: str(date.today()),
	"frappe.datetime.nowdate()": lambda: str(date.today()),
}


class Banc:
	def __init__(self, frappe, client: Client, structure: str, annee: int, repetitions: int):
		self.frappe, self.client, self.n = frappe, client, repetitions
		aujourdhui = date.today()
		premier_du_mois = aujourdhui.replace(day=1)
		debut_12 = premier_du_mois
		for _ in range(11):
			debut_12 = (debut_12 - timedelta(days=1)).replace(day=1)
		self.valeurs = {
			"s": structure,
			"debut": f"{annee}-01-01",
			"fin": f"{annee}-12-31",
			"hier": str(aujourdhui - timedelta(days=1)),
			"aujourdhui": str(aujourdhui),
			"debut_annee": f"{aujourdhui.year}-01-01",
			"fin_annee": f"{aujourdhui.year}-12-31",
			"debut_12_mois": str(debut_12),
		}
		self.structure, self.annee = structure, annee
		self.lignes: list[tuple[str, list[float], list[float] | None, str]] = []

	def plancher(self, cles: tuple[str, ...]):
		return lambda: [self.frappe.db.sql(SQL[c], self.valeurs) for c in cles]

	def mesurer(self, libelle: str, appel, plancher=None, note: str = "") -> list[float]:
		"""L'appel et son plancher tour à tour (2 d'échauffement chacun), pour qu'une variation de la
		charge de la machine pèse sur les deux ; la ligne s'affiche dès qu'elle est mesurée."""
		http, sql = [], [] if plancher else None
		for i in range(self.n + 2):
			duree = mesurer(appel, 1, echauffement=0)
			if i >= 2:
				http += duree
			if plancher:
				duree = mesurer(plancher, 1, echauffement=0)
				if i >= 2:
					sql += duree
		self.lignes.append((libelle, http, sql, note))
		tableau([self.lignes[-1]], entete=len(self.lignes) == 1)
		return http

	def filtres_rapport(self) -> dict:
		return {
			"date_debut": self.valeurs["debut"],
			"date_fin": self.valeurs["fin"],
			"structure": self.structure,
		}


# --- l'espace de travail ---------------------------------------------------------------------------


def modules_de_l_application(frappe) -> list[str]:
	return frappe.get_all("Module Def", filters={"app_name": "suivi_social"}, pluck="name")


def filtres_de_la_carte(carte) -> list:
	"""frappe.dashboard_utils.get_all_filters : filtres enregistrés + filtres dynamiques évalués."""
	filtres = json.loads(carte.filters_json or "[]")
	for f in json.loads(carte.dynamic_filters_json or "[]"):
		expression = f[3]
		if expression not in EXPRESSIONS:
			sys.exit(f"Filtre dynamique inconnu dans la carte {carte.name} : {expression}")
		filtres.append([*f[:3], EXPRESSIONS[expression]()])
	return filtres


def appel_carte(banc: Banc, carte):
	if carte.type == "Custom":
		return lambda: banc.client.get(carte.method, filters=filtres_de_la_carte(carte))
	if carte.type == "Report":
		return lambda: banc.client.get(
			"frappe.desk.query_report.run",
			report_name=carte.report_name,
			filters=filtres_de_la_carte(carte),
			ignore_prepared_report=1,
		)
	doc = {k: v for k, v in carte.as_dict().items() if not isinstance(v, list)}
	doc = json.loads(json.dumps(doc, default=str))

	def document_type():
		resultat = banc.client.get(
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc=doc,
			filters=filtres_de_la_carte(carte),
		)
		if carte.show_percentage_stats:  # le bureau demande aussi l'évolution
			banc.client.get(
				"frappe.desk.doctype.number_card.number_card.get_percentage_difference",
				doc=doc,
				filters=filtres_de_la_carte(carte),
				result=resultat,
			)
		return resultat

	return document_type


def plancher_carte(banc: Banc, carte):
	"""Le SQL que Frappe construit pour la carte, sans permission, sur la structure de l'utilisateur."""
	frappe = banc.frappe
	if carte.type == "Custom":
		cles = PLANCHERS_METHODES.get(carte.method.rsplit(".", 1)[-1])
		return banc.plancher(cles) if cles else None
	if carte.type != "Document Type":
		return None
	fonction = carte.function.lower()
	champ = (
		"*" if fonction == "count" else f"`tab{carte.document_type}`.`{carte.aggregate_function_based_on}`"
	)
	sql = frappe.get_all(
		carte.document_type,
		filters=[*filtres_de_la_carte(carte), [carte.document_type, "structure", "=", banc.structure]],
		fields=[f"{fonction}({champ}) as valeur"],
		order_by="",
		run=0,
	)
	return lambda: frappe.db.sql(sql)


def appel_graphique(banc: Banc, graphique):
	filtres = json.loads(graphique.filters_json or "[]")
	if graphique.chart_type == "Custom":
		config = banc.client.get(
			"frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source.get_config",
			name=graphique.source,
		)
		methode = re.search(r"method:\s*\"([\w.]+)\"", config).group(1)
	elif graphique.chart_type == "Report":
		methode = "frappe.desk.query_report.run"
		return methode, lambda: banc.client.get(
			methode, report_name=graphique.report_name, filters=filtres, ignore_prepared_report=1
		)
	else:
		methode = "frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
	return methode, lambda: banc.client.get(methode, chart_name=graphique.name, filters=filtres, refresh=0)


def espace_de_travail(banc: Banc) -> None:
	frappe = banc.frappe
	modules = modules_de_l_application(frappe)
	cartes = frappe.get_all("Number Card", filters={"module": ("in", modules)}, pluck="name")
	graphiques = frappe.get_all("Dashboard Chart", filters={"module": ("in", modules)}, pluck="name")
	if not cartes and not graphiques:
		print(
			"Espace de travail : aucune Number Card ni aucun Dashboard Chart dans les modules de l'application."
		)
		return
	appels, planchers = [], []
	for name in cartes:
		carte = frappe.get_doc("Number Card", name)
		appel, plancher = appel_carte(banc, carte), plancher_carte(banc, carte)
		try:
			appel()
		except RuntimeError as erreur:  # une carte qui n'est pas pour ce rôle (403)
			print(f"  carte « {name} » : {str(erreur)[:120]}")
			continue
		banc.mesurer(f"carte « {name} »", appel, plancher)
		appels.append(appel)
		planchers.append(plancher)
	for name in graphiques:
		graphique = frappe.get_doc("Dashboard Chart", name)
		methode, appel = appel_graphique(banc, graphique)
		# La méthode d'une source est <module de la source>.get : le plancher est nommé par la source.
		cles = PLANCHERS_METHODES.get(methode.split(".")[-2])
		plancher = banc.plancher(cles) if cles else None
		banc.mesurer(f"graphique « {name} »", appel, plancher)
		appels.append(appel)
		planchers.append(plancher)
	complets = [p for p in planchers if p]
	banc.mesurer(
		f"espace de travail : {len(appels)} cartes et graphiques, l'un après l'autre",
		lambda: [a() for a in appels],
		(lambda: [p() for p in complets]) if len(complets) == len(planchers) else None,
		"objectif < 1 s",
	)


# --- vérification des planchers --------------------------------------------------------------------


def verifier_planchers(banc: Banc) -> None:
	"""Les chiffres clés du rapport annuel, par HTTP et par le plancher : identiques."""
	frappe = banc.frappe
	donnees = banc.client.get(
		"suivi_social.statistiques.rapport_annuel.rapport_annuel", annee=banc.annee, structure=banc.structure
	)
	chiffres = {c["libelle"]: c["valeur"] for c in donnees["chiffres"]}
	v = banc.valeurs
	total = frappe.db.sql(SQL["total"], v)[0]
	accompagnes, b, c = (
		frappe.db.sql(SQL[cle], v)[0][0]
		for cle in ("population", "population_jusqu_a_la_fin", "population_avant")
	)
	aides = frappe.db.sql(SQL["aides_total"], v)
	rdv = frappe.db.sql(SQL["rendez_vous"], v)
	attendus = {
		"Accompagnements": total[0],
		"Bénéficiaires accompagnés": accompagnes,
		"Nouveaux bénéficiaires": b - c,
		"Bénéficiaires déjà suivis": accompagnes + c - b,
		"Demandes d'aide financière": sum(r[1] for r in aides),
		"Aides accordées": sum(r[1] for r in aides if r[0] in ("Accordée", "Accordée partiellement")),
		"Rendez-vous honorés": sum(r[2] for r in rdv if r[1] == "Honoré"),
	}
	if "Montant accordé" in chiffres:
		attendus["Montant accordé"] = round(
			float(sum(r[3] or 0 for r in aides if r[0] in ("Accordée", "Accordée partiellement"))), 2
		)
	ecarts = {k: (chiffres.get(k), attendu) for k, attendu in attendus.items() if chiffres.get(k) != attendu}
	if ecarts:
		sys.exit(f"Le plancher ne calcule pas les mêmes chiffres que le rapport annuel : {ecarts}")
	print(
		f"Rapport {banc.annee} de {banc.structure} : "
		+ ", ".join(f"{k.lower()} {generer.milliers(val)}" for k, val in attendus.items())
		+ " (mêmes chiffres par le plancher SQL)."
	)


# --- EXPLAIN ----------------------------------------------------------------------------------------


def expliquer(frappe, user: str, structure: str, annee: int) -> None:
	"""Chaque requête du rapport annuel (telle que Frappe l'exécute pour l'utilisateur) et chaque
	plancher, avec leur plan : table, type d'accès, index choisi, lignes estimées."""
	from unittest.mock import patch

	from suivi_social.statistiques import rapport_annuel

	requetes = []
	original = frappe.db.sql

	def capturer(query, values=(), *args, **kwargs):
		if str(query).lstrip().lower().startswith("select"):
			requetes.append((str(query), values))
		return original(query, values, *args, **kwargs)

	frappe.set_user(user)
	try:
		with patch.object(frappe.db, "sql", capturer):
			rapport_annuel.construire(annee, structure)
	finally:
		frappe.set_user("Administrator")
	print(f"\nEXPLAIN des requêtes du rapport annuel ({len(requetes)} SELECT exécutés pour {user}) :")
	for query, values in requetes:
		if "tabAccompagnement" not in query:
			continue
		afficher_plan(frappe, " ".join(query.split())[:160], query, values)
	print("\nEXPLAIN des planchers :")
	banc = Banc(frappe, None, structure, annee, 0)
	for cle, sql in SQL.items():
		afficher_plan(frappe, cle, sql, banc.valeurs)


def afficher_plan(frappe, titre: str, query: str, values) -> None:
	print(f"  {titre}")
	for ligne in frappe.db.sql(f"explain {query}", values, as_dict=True):
		print(
			f"      {ligne.table or '':<28} {ligne.type or '':<7} {ligne.key or '—':<40} "
			f"{generer.milliers(int(ligne.rows or 0)):>10} lignes  {(ligne.Extra or '')[:60]}"
		)


# --- main ------------------------------------------------------------------------------------------


def tableau(lignes, entete: bool = True) -> None:
	if entete:
		print(f"\n  {'':<68} {'HTTP p50':>9} {'p95':>8} {'SQL p50':>9} {'p95':>8} {'× SQL':>7}")
	for libelle, http, sql, note in lignes:
		h50, h95 = p(http, 50), p(http, 95)
		if sql:
			s50, s95 = p(sql, 50), p(sql, 95)
			plancher = f"{s50:>9.1f} {s95:>8.1f} {h50 / s50:>6.1f}×"
		else:
			plancher = f"{'—':>9} {'—':>8} {'—':>7}"
		print(f"  {libelle[:68]:<68} {h50:>9.1f} {h95:>8.1f} {plancher}  {note}", flush=True)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default=generer.SITE_PAR_DEFAUT)
	parser.add_argument("--repetitions", type=int, default=10)
	parser.add_argument("--annee", type=int, default=date.today().year - 1, help="défaut : l'année dernière")
	parser.add_argument(
		"--utilisateur",
		default=generer.courriel("resp", generer.STRUCTURES[0][0]),
		help="un Responsable de structure",
	)
	parser.add_argument("--explain", action="store_true", help="afficher le plan de chaque requête")
	parser.add_argument("--sans", nargs="*", default=[], choices=["annuel", "espace", "rapports"])
	args = parser.parse_args()
	warnings.filterwarnings("ignore", module="pypdf")  # importé par l'application, sans rapport
	frappe = generer.ouvrir_site(args.site)
	try:
		user = args.utilisateur
		structures = frappe.get_all(
			"User Permission", filters={"user": user, "allow": "Structure"}, pluck="for_value"
		)
		if len(structures) != 1:
			sys.exit(f"{user} doit appartenir à une seule structure (trouvé : {structures}).")
		structure = structures[0]
		volumes = generer.deja_genere(frappe)
		print(
			f"Site {args.site}, {user} ({structure}), année {args.annee}, {args.repetitions} mesures par ligne "
			"(après 2 d'échauffement), durées en ms."
		)
		print("Volumes : " + ", ".join(f"{dt} {generer.milliers(c)}" for dt, c in volumes.items()))
		if args.explain:
			expliquer(frappe, user, structure, args.annee)
		banc = Banc(
			frappe, Client(args.site, user, generer.MOT_DE_PASSE), structure, args.annee, args.repetitions
		)

		if "annuel" not in args.sans:
			from suivi_social.statistiques import memoire

			verifier_planchers(banc)

			def rapport_annuel(recompter: bool):
				if recompter:
					# What a change of the structure's data does (statistiques/memoire.py).
					memoire.invalider_structure(structure)
				return banc.client.get(
					"suivi_social.statistiques.rapport_annuel.rapport_annuel",
					annee=args.annee,
					structure=structure,
				)

			banc.mesurer(
				f"rapport d'activité annuel {args.annee}, compté",
				lambda: rapport_annuel(recompter=True),
				banc.plancher(PLANCHER_RAPPORT_ANNUEL),
				"après une modification des données de l'année",
			)
			banc.mesurer(
				f"rapport d'activité annuel {args.annee}, relu",
				lambda: rapport_annuel(recompter=False),
				banc.plancher(PLANCHER_RAPPORT_ANNUEL),
				"rien n'a changé depuis : objectif < 2 s et ≤ 2× le plancher",
			)
		if "espace" not in args.sans:
			espace_de_travail(banc)
		if "rapports" not in args.sans:
			rapports = frappe.get_all(
				"Report",
				filters={
					"module": ("in", modules_de_l_application(frappe)),
					"report_type": "Script Report",
					"is_standard": "Yes",
					"disabled": 0,
				},
				pluck="name",
				order_by="name",
			)
			for rapport in rapports:
				cles = PLANCHERS_RAPPORTS.get(rapport)
				banc.mesurer(
					f"rapport « {rapport} »",
					lambda rapport=rapport: banc.client.get(
						"frappe.desk.query_report.run", report_name=rapport, filters=banc.filtres_rapport()
					),
					banc.plancher(cles) if cles else None,
					"" if cles else "pas de plancher écrit pour ce rapport",
				)
		print("\nRécapitulatif :")
		tableau(banc.lignes)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
