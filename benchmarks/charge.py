"""Banc d'essai : cinquante agents à la fois sur la pile de production (ticket 12 § 3 et § 4).

	env/bin/python benchmarks/generer.py             # une fois : les données (site bench.localhost)
	env/bin/python benchmarks/charge.py              # 10 minutes de charge, environ 15 minutes en tout
	env/bin/python benchmarks/charge.py --essai      # essai rapide : 1 minute de charge
	env/bin/python benchmarks/charge.py --sites 20   # puis la même charge avec 20 sites sur le bench

Dans l'ordre :
1. prépare, sur bench.localhost, les agents (generer.agents_de_charge : 50 Travailleurs sociaux et
   Agents d'accueil des deux structures, User Permission sur leur structure) et le plan que lit
   Locust : des dossiers de chaque structure à chercher et ouvrir, les typologies, les cartes et
   les graphiques de l'espace de travail, les rapports ;
2. monte la pile de production sur la boucle locale (benchmarks/pile_charge.sh : ./suivi production
   dans un bench à part, /tmp/suivi-charge : nginx, gunicorn, supervisor, tâches de fond) ;
3. mesure le **plancher** : un seul utilisateur, sans pause, qui enchaîne toutes les actions des
   deux rôles (après un échauffement non compté) ;
4. mesure la **charge** : 50 agents connectés par /api/method/login, chacun tirant ses actions selon
   les poids de son rôle avec une pause de 5 à 15 s (--pause) (benchmarks/charge_locust.py) ;
5. compte en SQL les accompagnements dont l'enregistrement a été acquitté (HTTP 200 avec le nom) :
   rien ne doit manquer ;
6. avec --sites N : ajoute N - 1 petits sites de CCAS au bench, relance la charge (plus courte), les
   retire ;
7. arrête la pile (sauf --garder), écrit le tout dans benchmarks/resultats/charge-<date>.txt.

Locust vient de PyPI et s'installe dans son propre environnement, env-charge/ (créé au premier
lancement), pas dans env/ : le test de charge n'en a besoin que pour lui.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

import generer

ICI = Path(__file__).resolve().parent
BENCH = ICI.parent
VENV = BENCH / "env-charge"
LOCUST = VENV / "bin" / "locust"
VERSION_LOCUST = "2.47.0"
PILE = ICI / "pile_charge.sh"
PILE_DIR = Path(os.environ.get("SUIVI_CHARGE_DIR", "/tmp/suivi-charge"))
RESULTATS = ICI / "resultats"
OBJECTIF_P95 = 500
RAPPORTS = ("Rendez-vous", "Aides financieres", "Activite par typologie")
DOSSIERS_PAR_STRUCTURE = 3000
EXPRESSIONS = {"frappe.session.user": "utilisateur", "frappe.datetime.get_today()": "aujourdhui"}
ACTIONS_ORDRE = (
	"recherche (accueil)",
	"ouvrir un dossier (getdoc)",
	"ouvrir un dossier (liens)",
	"enregistrer un accompagnement",
	"noter un passage (accueil)",
	"liste des dossiers",
	"liste des accompagnements",
	"liste : compte",
	"mes rappels (liste)",
	"espace de travail (page)",
	"espace de travail (carte)",
	"espace de travail (graphique)",
	"rapport statistique",
	"connexion",
	"chargement du bureau",
	"autres CCAS : page de connexion",
)
# Logged in once per agent at the start: shown, but not part of the day's actions.
HORS_JOURNEE = ("connexion", "chargement du bureau")

_sortie: list[str] = []


def dire(texte: str = "") -> None:
	print(texte, flush=True)
	_sortie.append(texte)


# --- préparation ----------------------------------------------------------------------------------


def installer_locust() -> None:
	if LOCUST.exists():
		return
	dire(f"Installation de Locust {VERSION_LOCUST} dans {VENV} (PyPI)")
	subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
	subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"locust=={VERSION_LOCUST}"], check=True)


def preparer(frappe, nombre: int, site: str) -> dict:
	debut = time.perf_counter()
	agents = generer.agents_de_charge(frappe, nombre)
	structures = {}
	for raison_sociale, _prefixe, _part in generer.STRUCTURES:
		lignes = frappe.db.sql(
			"""select name, coalesce(nom_usage, nom_naissance) as nom, prenoms, date_naissance
			from tabBeneficiaire where structure = %s and statut = 'Actif' order by rand() limit %s""",
			(raison_sociale, DOSSIERS_PAR_STRUCTURE),
			as_dict=True,
		)
		dossiers = []
		for d in lignes:
			prenom = (d.prenoms or "").split(" ")[0]
			dossiers.append(
				{
					"name": d.name,
					"nom_prenom": f"{d.nom} {prenom}",
					"prenom_nom": f"{prenom} {d.nom.upper()}",
					"debut": f"{d.nom[:4]} {prenom}",
					"date": d.date_naissance.strftime("%d/%m/%Y"),
					"numero": d.name,
				}
			)
		types = frappe.get_all(
			"Type Accompagnement",
			filters={"structure": raison_sociale, "actif": 1, "aide_financiere": 0},
			pluck="name",
		)
		structures[raison_sociale] = {"dossiers": dossiers, "types": types}
	# The workspace's cards and charts each role sees (the desk lists only those the user may read:
	# frappe.desk.desktop.Workspace.get_number_cards / get_charts, the app's carte_has_permission),
	# one request each; a chart through its source's method when « Custom », as chart_widget.js
	# `fetch` does, dashboard_chart.get otherwise.
	espace = frappe.get_doc("Workspace", "Suivi social")
	cartes, graphiques = {}, {}
	for role in {a["role"] for a in agents}:
		agent = next(a["user"] for a in agents if a["role"] == role)
		cartes[role], graphiques[role] = [], []
		for ligne in espace.number_cards:
			carte = frappe.get_doc("Number Card", ligne.number_card_name)
			if not frappe.has_permission("Number Card", doc=carte, user=agent):
				continue
			dynamiques = []
			for f in json.loads(carte.dynamic_filters_json or "[]"):
				if f[3] not in EXPRESSIONS:
					sys.exit(f"Filtre dynamique inconnu dans la carte {carte.name} : {f[3]}")
				dynamiques.append([*f[:3], EXPRESSIONS[f[3]]])
			doc = {k: v for k, v in carte.as_dict().items() if not isinstance(v, list)}
			cartes[role].append(
				{
					"nom": carte.name,
					"methode": carte.method if carte.type == "Custom" else None,
					"doc": json.loads(json.dumps(doc, default=str)),
					"filtres": json.loads(carte.filters_json or "[]"),
					"filtres_dynamiques": dynamiques,
				}
			)
		for ligne in espace.charts:
			graphique = frappe.get_doc("Dashboard Chart", ligne.chart_name)
			if not frappe.has_permission("Dashboard Chart", doc=graphique, user=agent):
				continue
			methode = "frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
			if graphique.chart_type == "Custom":
				source = frappe.scrub(graphique.source)
				module = frappe.scrub(
					frappe.db.get_value("Dashboard Chart Source", graphique.source, "module")
				)
				methode = (
					f"{frappe.local.module_app[module]}.{module}.dashboard_chart_source.{source}.{source}.get"
				)
			graphiques[role].append(
				{
					"nom": graphique.name,
					"methode": methode,
					"filtres": json.loads(graphique.filters_json or "[]"),
				}
			)
	annee = date.today().year
	plan = {
		"site": site,
		"mot_de_passe": generer.MOT_DE_PASSE,
		"agents": agents,
		"structures": structures,
		"cartes": cartes,
		"graphiques": graphiques,
		"rapports": list(RAPPORTS),
		"filtres_rapport": {"date_debut": f"{annee}-01-01", "date_fin": f"{annee}-12-31"},
	}
	roles = {}
	for a in agents:
		roles[a["role"]] = roles.get(a["role"], 0) + 1
	dire(
		f"Agents : {len(agents)} ({', '.join(f'{n} {r}' for r, n in roles.items())}), "
		f"{sum(len(s['dossiers']) for s in structures.values())} dossiers tirés, {', '.join(f'{len(c)} cartes et {len(graphiques[r])} graphiques ({r})' for r, c in cartes.items())}, "
		f"rapports {', '.join(RAPPORTS)} ({time.perf_counter() - debut:.1f} s)"
	)
	return plan


# --- la pile ------------------------------------------------------------------------------------


def pile(*args: str) -> None:
	resultat = subprocess.run([str(PILE), *args], capture_output=True, text=True)
	for ligne in (resultat.stdout + resultat.stderr).splitlines():
		if ligne.startswith(("==>", "[erreur]", "[attention] /tmp")) and "Pas de systemd" not in ligne:
			dire(f"  {ligne}")
	if resultat.returncode:
		sys.exit(f"benchmarks/pile_charge.sh {' '.join(args)} a échoué (code {resultat.returncode})")


def reglages_de_la_pile() -> list[str]:
	lignes = []
	conf = (PILE_DIR / "config" / "supervisor.conf").read_text()
	for ligne in conf.splitlines():
		if ligne.startswith("command=") and "gunicorn" in ligne:
			lignes.append("gunicorn : " + ligne.split("gunicorn", 1)[1].strip())
		if ligne.startswith("command=") and " worker " in ligne:
			lignes.append(
				"tâches de fond : bench " + ligne.split(" worker ", 1)[-1].strip().join(["worker ", ""])
			)
	pool = subprocess.run(
		["mariadb", "-N", "-e", "select @@innodb_buffer_pool_size"], capture_output=True, text=True
	).stdout.strip()
	if pool:
		lignes.append(f"MariaDB : innodb_buffer_pool_size = {int(pool) // 1048576} Mio")
	return lignes


# --- une mesure -----------------------------------------------------------------------------------


class Charge:
	"""La charge de la machine (/proc/loadavg) relevée toutes les 5 s pendant une phase."""

	def __init__(self):
		self.releves: list[float] = []
		self._fin = threading.Event()
		self._fil = threading.Thread(target=self._relever, daemon=True)

	def _relever(self):
		while not self._fin.wait(5):
			self.releves.append(float(Path("/proc/loadavg").read_text().split()[0]))

	def __enter__(self):
		self._fil.start()
		return self

	def __exit__(self, *exc):
		self._fin.set()
		self._fil.join()

	def resume(self) -> str:
		if not self.releves:
			return "charge de la machine : non relevée"
		return (
			f"charge de la machine (1 min) : min {min(self.releves):.1f}, "
			f"moyenne {statistics.mean(self.releves):.1f}, max {max(self.releves):.1f}"
		)


def locust(
	plan_json: Path,
	sortie: Path,
	mode: str,
	utilisateurs: int,
	duree: int,
	pause: str,
	visiteurs=0,
	arrivee=1.0,
):
	env = {
		**os.environ,
		"CHARGE_PLAN": str(plan_json),
		"CHARGE_SORTIE": str(sortie),
		"CHARGE_MODE": mode,
		"CHARGE_PAUSE": pause,
		"CHARGE_VISITEURS": str(visiteurs),
	}
	commande = [
		str(LOCUST),
		"-f",
		str(ICI / "charge_locust.py"),
		"--headless",
		"--users",
		str(utilisateurs + visiteurs),
		"--spawn-rate",
		str(arrivee),
		"--run-time",
		# The steady state lasts `duree`: the agents' arrival comes on top.
		f"{duree + int((utilisateurs + visiteurs) / arrivee) if mode == 'charge' else duree}s",
		"--stop-timeout",
		"30",
		"--only-summary",
		"--loglevel",
		"WARNING",
	]
	with Charge() as charge:
		resultat = subprocess.run(commande, env=env, capture_output=True, text=True)
	if not (sortie / f"mesures-{mode}.tsv").exists():
		sys.exit(f"Locust n'a rien mesuré :\n{resultat.stderr[-3000:]}")
	return charge


def lire_mesures(fichier: Path, montee: bool = False) -> dict[str, dict]:
	"""The requests of the steady state (or, with montee=True, those sent while the agents were
	still arriving and logging in)."""
	actions: dict[str, dict] = {}
	for ligne in fichier.read_text().splitlines():
		if not ligne.strip():
			continue
		nom, duree, erreur, phase = [*ligne.split("\t"), "", ""][:4]
		if bool(phase) != montee:
			continue
		a = actions.setdefault(nom, {"durees": [], "erreurs": [], "n": 0})
		a["n"] += 1
		if erreur:
			a["erreurs"].append(erreur)
		else:
			a["durees"].append(float(duree))
	return actions


def centile(durees: list[float], c: int) -> float | None:
	if len(durees) < 2:
		return durees[0] if durees else None
	return statistics.quantiles(durees, n=100, method="inclusive")[c - 1]


def ms(v: float | None) -> str:
	if v is None:
		return "—"
	return f"{v:,.0f}".replace(",", " ") if v >= 100 else f"{v:.1f}".replace(".", ",")


def tableau(charge: dict, plancher: dict | None, duree: int) -> list[str]:
	lignes = [
		"| action | requêtes | p50 | p95 | p99 | erreurs | plancher p50 | plancher p95 | × p95 |",
		"|---|---|---|---|---|---|---|---|---|",
	]
	noms = [n for n in ACTIONS_ORDRE if n in charge] + sorted(set(charge) - set(ACTIONS_ORDRE))
	for nom in noms:
		a = charge[nom]
		p = (plancher or {}).get(nom, {"durees": []})
		p95, p95p = centile(a["durees"], 95), centile(p["durees"], 95)
		rapport = f"{p95 / p95p:.1f}".replace(".", ",") if p95 and p95p else "—"
		lignes.append(
			f"| {nom} | {a['n']} | {ms(centile(a['durees'], 50))} | {ms(p95)} | {ms(centile(a['durees'], 99))} "
			f"| {len(a['erreurs'])} | {ms(centile(p['durees'], 50))} | {ms(p95p)} | {rapport} |"
		)
	journee = [d for n, a in charge.items() if n not in HORS_JOURNEE for d in a["durees"]]
	journee_p = [d for n, a in (plancher or {}).items() if n not in HORS_JOURNEE for d in a["durees"]]
	erreurs = sum(len(a["erreurs"]) for n, a in charge.items())
	p95, p95p = centile(journee, 95), centile(journee_p, 95)
	lignes.append(
		f"| **toutes les actions de la journée** | {len(journee) + sum(len(a['erreurs']) for n, a in charge.items() if n not in HORS_JOURNEE)} "
		f"| {ms(centile(journee, 50))} | **{ms(p95)}** | {ms(centile(journee, 99))} | **{erreurs}** "
		f"| {ms(centile(journee_p, 50))} | {ms(p95p)} | {f'{p95 / p95p:.1f}'.replace('.', ',') if p95 and p95p else '—'} |"
	)
	lignes.append(f"débit : {len(journee) / duree:.1f} requêtes/s sur {duree} s".replace(".", ","))
	return lignes


def erreurs_types(actions: dict) -> list[str]:
	vues: dict[str, int] = {}
	for nom, a in actions.items():
		for e in a["erreurs"]:
			cle = f"{nom} : {e[:160]}"
			vues[cle] = vues.get(cle, 0) + 1
	return [f"  {n} × {e}" for e, n in sorted(vues.items(), key=lambda x: -x[1])[:10]]


def verifier_ecritures(frappe, fichiers: list[Path]) -> tuple[int, int]:
	noms = sorted({n for f in fichiers if f.exists() for n in f.read_text().split() if n})
	trouves = 0
	for i in range(0, len(noms), 1000):
		paquet = noms[i : i + 1000]
		trouves += frappe.db.sql("select count(*) from tabAccompagnement where name in %s", (paquet,))[0][0]
	return len(noms), trouves


def phase(titre: str, plan_json, sortie, args, duree: int, visiteurs: int = 0) -> dict:
	"""Échauffement (non compté), plancher, puis la charge : les résultats de la phase."""
	dire(f"\n## {titre}")
	locust(plan_json, sortie / "echauffement", "plancher", 1, args.echauffement, "0-0")
	plancher_charge = locust(plan_json, sortie, "plancher", 1, args.duree_plancher, "0-0")
	dire(f"plancher ({args.duree_plancher} s, 1 utilisateur sans pause) : {plancher_charge.resume()}")
	debut = datetime.now()
	charge = locust(plan_json, sortie, "charge", args.agents, duree, args.pause, visiteurs, args.arrivee)
	dire(
		f"charge ({duree} s, {args.agents} agents, pause {args.pause} s"
		f"{f', {visiteurs} visiteurs des autres sites' if visiteurs else ''}, de {debut:%H:%M:%S} à {datetime.now():%H:%M:%S}) : "
		f"{charge.resume()}"
	)
	resultats = {
		"plancher": lire_mesures(sortie / "mesures-plancher.tsv"),
		"charge": lire_mesures(sortie / "mesures-charge.tsv"),
		"montee": lire_mesures(sortie / "mesures-charge.tsv", montee=True),
		"duree": duree,
		"sortie": sortie,
	}
	montee = resultats["montee"]
	dire(
		f"montée en charge (les {args.agents + visiteurs} agents arrivent, {args.arrivee:g} par seconde, et se connectent ; "
		f"non comptée ci-dessous) : {sum(a['n'] for a in montee.values())} requêtes, "
		f"{sum(len(a['erreurs']) for a in montee.values())} erreurs, connexion p95 {ms(centile(montee.get('connexion', {}).get('durees', []), 95))} ms, "
		f"chargement du bureau p95 {ms(centile(montee.get('chargement du bureau', {}).get('durees', []), 95))} ms"
	)
	dire(f"régime établi ({resultats['duree']:.0f} s) :")
	for ligne in tableau(resultats["charge"], resultats["plancher"], resultats["duree"]):
		dire(ligne)
	if types := erreurs_types(resultats["charge"]):
		dire("erreurs (les plus fréquentes) :")
		for ligne in types:
			dire(ligne)
	return resultats


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default=generer.SITE_PAR_DEFAUT)
	parser.add_argument("--agents", type=int, default=50)
	parser.add_argument("--duree", type=int, default=600, help="secondes de charge (défaut : 600)")
	parser.add_argument("--duree-plancher", type=int, default=120, help="secondes du plancher (défaut : 120)")
	parser.add_argument("--echauffement", type=int, default=20, help="secondes non comptées (défaut : 20)")
	parser.add_argument(
		"--arrivee", type=float, default=1.0, help="agents qui arrivent par seconde (défaut : 1)"
	)
	parser.add_argument(
		"--pause",
		default="5-15",
		help="pause d'un agent entre deux actions, en s (défaut : 5-15 ; 1-5 : stress)",
	)
	parser.add_argument(
		"--essai", action="store_true", help="essai rapide : 60 s de charge, 20 s de plancher"
	)
	parser.add_argument(
		"--sites", type=int, default=1, help="avec 20 : la charge refaite avec 19 sites de plus"
	)
	parser.add_argument(
		"--duree-sites", type=int, default=300, help="secondes de charge avec --sites (défaut : 300)"
	)
	parser.add_argument(
		"--sans-pile", action="store_true", help="la pile tourne déjà (pile_charge.sh demarrer)"
	)
	parser.add_argument(
		"--garder", action="store_true", help="laisser la pile (et les sites en plus) en marche"
	)
	args = parser.parse_args()
	if args.essai:
		args.duree, args.duree_plancher, args.echauffement = 60, 20, 10
		args.duree_sites = min(args.duree_sites, 60)

	installer_locust()
	maintenant = datetime.now()
	sortie = Path(f"/tmp/suivi-charge-mesures/{maintenant:%Y%m%d-%H%M%S}")
	sortie.mkdir(parents=True, exist_ok=True)
	dire(f"# Test de charge du {maintenant:%d/%m/%Y %H:%M} : {args.agents} agents sur {args.site}")
	dire(
		f"machine : {os.cpu_count()} cœurs, {generer.milliers(os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30)} Gio"
	)

	frappe = generer.ouvrir_site(args.site)
	try:
		volumes = generer.deja_genere(frappe)
		dire(f"données : {', '.join(f'{generer.milliers(n)} {dt}' for dt, n in volumes.items())}")
		plan = preparer(frappe, args.agents, args.site)
		avant = frappe.db.count("Accompagnement")
	finally:
		frappe.destroy()
	plan_json = sortie / "plan.json"
	plan_json.write_text(json.dumps(plan, ensure_ascii=False))

	if not args.sans_pile:
		dire(
			"\nPile de production (benchmarks/pile_charge.sh demarrer, ./suivi production dans "
			f"{PILE_DIR})"
		)
		pile("demarrer")
	for ligne in reglages_de_la_pile():
		dire(f"  {ligne}")
	resultats = []
	try:
		resultats.append(phase(f"Un site ({args.site})", plan_json, sortie / "un-site", args, args.duree))
		if args.sites > 1:
			dire(
				f"\n{args.sites - 1} sites de CCAS de plus sur le bench (pile_charge.sh sites {args.sites - 1})"
			)
			debut = time.perf_counter()
			pile("sites", str(args.sites - 1))
			dire(f"  faits en {time.perf_counter() - debut:.0f} s")
			plan["autres_sites"] = sorted(
				p.parent.name for p in (PILE_DIR / "sites").glob("ccas-charge-*/site_config.json")
			)
			plan_json.write_text(json.dumps(plan, ensure_ascii=False))
			resultats.append(
				phase(
					f"{len(plan['autres_sites']) + 1} sites sur le bench",
					plan_json,
					sortie / "sites",
					args,
					args.duree_sites,
					visiteurs=5,
				)
			)
	finally:
		if args.sites > 1 and not args.garder:
			pile("retirer-sites")
		if not args.sans_pile and not args.garder:
			pile("arreter")

	frappe = generer.ouvrir_site(args.site)
	try:
		fichiers = [r["sortie"] / f"ecritures-{m}.txt" for r in resultats for m in ("plancher", "charge")]
		fichiers += [sortie / "un-site" / "echauffement" / "ecritures-plancher.txt"]
		fichiers += [sortie / "sites" / "echauffement" / "ecritures-plancher.txt"]
		acquittes, trouves = verifier_ecritures(frappe, fichiers)
		apres = frappe.db.count("Accompagnement")
	finally:
		frappe.destroy()
	dire(
		f"\nRien de perdu : {acquittes} accompagnements acquittés (HTTP 200 avec leur nom), "
		f"{trouves} retrouvés en base ({'aucun ne manque' if trouves == acquittes else f'{acquittes - trouves} MANQUENT'}) ; "
		f"la table a gagné {apres - avant} lignes pendant la mesure."
	)
	toutes = [
		d for r in resultats for n, a in r["charge"].items() if n not in HORS_JOURNEE for d in a["durees"]
	]
	erreurs = sum(len(a["erreurs"]) for r in resultats for k in ("charge", "montee") for a in r[k].values())
	p95 = centile(toutes, 95)
	dire(
		f"Objectifs : p95 < {OBJECTIF_P95} ms : {'tenu' if p95 and p95 < OBJECTIF_P95 else 'NON tenu'} ({ms(p95)} ms) ; "
		f"0 erreur : {'tenu' if not erreurs else f'NON tenu ({erreurs})'} ; "
		f"rien de perdu : {'tenu' if trouves == acquittes else 'NON tenu'}"
	)
	dire(f"Mesures brutes : {sortie}")
	RESULTATS.mkdir(exist_ok=True)
	fichier = RESULTATS / f"charge-{maintenant:%Y-%m-%d-%H%M}.txt"
	fichier.write_text("\n".join(_sortie) + "\n")
	print(f"Écrit : {fichier.relative_to(BENCH)}")


if __name__ == "__main__":
	main()
