"""Banc d'essai : la recherche d'une personne (accueil/recherche.py) face à la recherche de lien
générique de Frappe, sur les 100 000 dossiers du site bench.localhost.

	env/bin/python benchmarks/generer.py        # une fois : les données (site bench.localhost)
	env/bin/python benchmarks/recherche.py      # environ 1 minute

En tant que `ts-a@banc.test` (un Travailleur social de « CCAS Banc A », 60 000 dossiers), dans le
même processus et sur les mêmes requêtes, l'une après l'autre à chaque tour :
- le moteur : suivi_social.accueil.recherche.rechercher(texte) (20 résultats) ;
- le champ lien avec ce moteur : frappe.desk.search.search_link("Beneficiaire", texte), qui passe
  par le crochet standard_queries de l'application ;
- la recherche générique de Frappe : le même search_link, crochet retiré (frappe.get_hooks
  renvoie les crochets sans `standard_queries`, comme avant l'application) : LIKE '%texte%' sur
  name, nom_complet, prenoms et date_naissance, 20 lignes.
Pour chaque classe de requêtes (nom et prénom, ordre et accents, tirets, une faute, début de nom,
nom de naissance, dates sous trois formes, téléphone sous quatre formes, numéro de dossier,
critères combinés) : p50 et p95, le rapport générique / moteur, et la justesse (le dossier
attendu figure-t-il dans les résultats ?). Puis le plan (EXPLAIN) de chaque requête SQL que le
moteur exécute pour quelques requêtes types, et celui de la recherche générique.

Les requêtes sont tirées (--graine) parmi les dossiers de la structure ; trois dossiers portant un
nom de naissance (les données générées n'en ont pas) sont écrits pour la mesure, jamais validés :
tout est annulé à la fin. Si l'index de recherche manque (site généré avant
lui), il est construit d'abord et le temps de construction affiché."""

import argparse
import random
import statistics
import sys
import time
from contextlib import contextmanager
from unittest.mock import patch

import generer

UTILISATEUR = "ts-a@banc.test"
STRUCTURE = "CCAS Banc A"
PAGE = 20


def sans_accents(texte: str) -> str:
	from suivi_social.utils.identite import cle_recherche

	return cle_recherche(texte)


def une_faute(rng: random.Random, mot: str) -> str:
	"""Une lettre remplacée au milieu du mot (jamais la première) : « lefebvre » → « lefebgre »."""
	i = rng.randrange(2, len(mot) - 1)
	lettre = rng.choice([c for c in "aeioulnrst" if c != mot[i]])
	return mot[:i] + lettre + mot[i + 1 :]


def requetes(frappe, rng: random.Random, par_classe: int) -> list[tuple[str, str, str]]:
	"""(classe, texte, dossier attendu), tirés parmi les dossiers actifs de la structure."""
	dossiers = frappe.db.sql(
		"""select name, nom_usage, prenoms, date_naissance, telephone from `tabBeneficiaire`
		where structure = %s and statut in ('Actif', 'Inactif') order by name""",
		STRUCTURE,
		as_dict=True,
	)
	avec_telephone = [d for d in dossiers if d.telephone]
	longs = [d for d in dossiers if len(sans_accents(d.nom_usage).replace(" ", "")) >= 6]
	accentues = [d for d in dossiers if sans_accents(d.nom_usage) != d.nom_usage.lower()]
	liste = []

	def tirer(population):
		return rng.sample(population, par_classe)

	for d in tirer(dossiers):
		liste.append(("nom prénom", f"{sans_accents(d.nom_usage)} {sans_accents(d.prenoms)}", d.name))
	for d in tirer(accentues):
		liste.append(("prénom NOM (accents, ordre)", f"{d.prenoms} {d.nom_usage.upper()}", d.name))
	for d in tirer(accentues):
		liste.append(("Nom-Prénom (tiret)", f"{d.nom_usage}-{d.prenoms}", d.name))
	for d in tirer(longs):
		nom = sans_accents(d.nom_usage).replace(" ", "")
		liste.append(("une faute dans le nom", f"{une_faute(rng, nom)} {sans_accents(d.prenoms)}", d.name))
	for d in tirer(dossiers):
		debut = sans_accents(d.nom_usage).replace(" ", "")[:4]
		liste.append(("début du nom et prénom", f"{debut} {sans_accents(d.prenoms)}", d.name))
	for d in tirer(dossiers):
		liste.append(("date jj/mm/aaaa", d.date_naissance.strftime("%d/%m/%Y"), d.name))
	for d in tirer(dossiers):
		liste.append(("date jjmmaaaa", d.date_naissance.strftime("%d%m%Y"), d.name))
	for d in tirer(dossiers):
		liste.append(("date jj/mm/aa", d.date_naissance.strftime("%d/%m/%y"), d.name))
	formats = (
		("téléphone 06 12 34 56 78", lambda t: " ".join(t[i : i + 2] for i in range(0, 10, 2))),
		("téléphone 0612345678", lambda t: t),
		(
			"téléphone +33 6 12 34 56 78",
			lambda t: "+33 " + t[1] + " " + " ".join(t[i : i + 2] for i in range(2, 10, 2)),
		),
		("téléphone 0033612345678", lambda t: "0033" + t[1:]),
	)
	for classe, forme in formats:
		for d in tirer(avec_telephone):
			liste.append((classe, forme(d.telephone), d.name))
	for d in tirer(dossiers):
		liste.append(("numéro de dossier", d.name, d.name))
	for d in tirer(dossiers):
		liste.append(
			("nom et date (combinés)", f"{d.nom_usage} {d.date_naissance.strftime('%d/%m/%Y')}", d.name)
		)
	return liste


def dossiers_nom_de_naissance(frappe) -> list[tuple[str, str, str]]:
	"""Trois dossiers avec un nom de naissance, écrits comme generer.py écrit les siens (INSERT, clés
	de recherche calculées, index de la recherche par jetons.indexer), jamais validés."""
	from suivi_social.accueil import jetons
	from suivi_social.utils.identite import cle_recherche

	liste = []
	for i, (usage, naissance, prenom) in enumerate(
		(
			("Martin", "Lévêque", "Odette"),
			("Dupont", "Grondin", "Huguette"),
			("Roux", "Hoarau-Payet", "Ginette"),
		),
		start=1,
	):
		valeurs = {
			"name": f"BANCA-N{i:04d}",
			"creation": "2026-11-28 12:00:00",
			"modified": "2026-11-28 12:00:00",
			"owner": "Administrator",
			"modified_by": "Administrator",
			"structure": STRUCTURE,
			"statut": "Actif",
			"nom_usage": usage,
			"nom_naissance": naissance,
			"prenoms": prenom,
			"nom_complet": f"{usage.upper()} {prenom}",
			"date_naissance": "1950-01-01",
			"nom_recherche": cle_recherche(usage, naissance, prenom),
		}
		frappe.db.sql(
			f"insert into `tabBeneficiaire` ({', '.join(f'`{c}`' for c in valeurs)}) "
			f"values ({', '.join(['%s'] * len(valeurs))})",
			list(valeurs.values()),
		)
		jetons.indexer([valeurs])
		liste.append(("nom de naissance", f"{naissance} {prenom}", valeurs["name"]))
	return liste


@contextmanager
def sans_requete_standard(frappe):
	"""frappe.get_hooks() sans `standard_queries` : search_widget fait alors sa recherche générique
	(frappe/desk/search.py : `frappe.get_hooks().standard_queries`)."""
	vrai = frappe.get_hooks

	def crochets(hook=None, default="_KEEP_DEFAULT_LIST", app_name=None):
		if hook is None and app_name is None:
			tous = frappe._dict(vrai())
			tous.pop("standard_queries", None)
			return tous
		if hook == "standard_queries":
			return {} if default == "_KEEP_DEFAULT_LIST" else default
		return vrai(hook, default, app_name)

	with patch.object(frappe, "get_hooks", crochets):
		yield


def chrono(fonction):
	debut = time.perf_counter()
	resultat = fonction()
	return (time.perf_counter() - debut) * 1000, resultat


def centile(valeurs: list[float], p: float) -> float:
	valeurs = sorted(valeurs)
	if len(valeurs) == 1:
		return valeurs[0]
	return statistics.quantiles(valeurs, n=100, method="inclusive")[int(p) - 1]


def mesurer(frappe, liste, repetitions: int):
	from frappe.desk.search import search_link

	from suivi_social.accueil.recherche import rechercher

	mesures = {}
	for _tour in range(repetitions):
		for classe, texte, attendu in liste:
			m = mesures.setdefault((classe, texte, attendu), {"moteur": [], "lien": [], "generique": []})
			duree, resultats = chrono(lambda: rechercher(texte, limite=PAGE))
			m["moteur"].append(duree)
			m["ok_moteur"] = attendu in [r.name for r in resultats]
			duree, resultats = chrono(lambda: search_link("Beneficiaire", texte, page_length=PAGE))
			m["lien"].append(duree)
			m["ok_lien"] = attendu in [r["value"] for r in resultats]
			with sans_requete_standard(frappe):
				duree, resultats = chrono(lambda: search_link("Beneficiaire", texte, page_length=PAGE))
			m["generique"].append(duree)
			m["ok_generique"] = attendu in [r["value"] for r in resultats]
	return mesures


def afficher(mesures) -> None:
	classes = list(dict.fromkeys(classe for classe, _t, _a in mesures))
	entete = (
		f"{'classe':<30} {'n':>3} | {'moteur p50/p95':>15} | {'lien p50/p95':>15} | "
		f"{'générique p50/p95':>17} | {'rapport':>7} | {'justesse moteur / générique':>27}"
	)
	print(entete)
	print("-" * len(entete))
	tout = {"moteur": [], "lien": [], "generique": []}
	justes = {"moteur": 0, "generique": 0}
	total = 0
	for classe in classes:
		lignes = [m for (c, _t, _a), m in mesures.items() if c == classe]
		series = {k: [d for m in lignes for d in m[k]] for k in tout}
		for k in tout:
			tout[k] += series[k]
		ok = {k: sum(m[f"ok_{k}"] for m in lignes) for k in justes}
		for k in justes:
			justes[k] += ok[k]
		total += len(lignes)
		print(
			f"{classe:<30} {len(lignes):>3} | "
			+ " | ".join(
				f"{statistics.median(series[k]):6.1f} /{centile(series[k], 95):6.1f}".rjust(w)
				for k, w in (("moteur", 15), ("lien", 15), ("generique", 17))
			)
			+ f" | {statistics.median(series['generique']) / statistics.median(series['lien']):6.1f}×"
			+ f" | {ok['moteur']:>11}/{len(lignes)} {ok['generique']:>10}/{len(lignes)}"
		)
	print("-" * len(entete))
	print(
		f"{'toutes':<30} {total:>3} | "
		+ " | ".join(
			f"{statistics.median(tout[k]):6.1f} /{centile(tout[k], 95):6.1f}".rjust(w)
			for k, w in (("moteur", 15), ("lien", 15), ("generique", 17))
		)
		+ f" | {statistics.median(tout['generique']) / statistics.median(tout['lien']):6.1f}×"
		+ f" | {justes['moteur']:>11}/{total} {justes['generique']:>10}/{total}"
	)
	print(
		f"\np95 : moteur {centile(tout['moteur'], 95):.1f} ms, champ lien {centile(tout['lien'], 95):.1f} ms, "
		f"générique {centile(tout['generique'], 95):.1f} ms ; rapport des p95 générique / champ lien "
		f"{centile(tout['generique'], 95) / centile(tout['lien'], 95):.1f}×, des p50 "
		f"{statistics.median(tout['generique']) / statistics.median(tout['lien']):.1f}×"
	)
	rates = [(c, t, a) for (c, t, a), m in mesures.items() if not m["ok_moteur"]]
	if rates:
		print("\nDossier attendu absent des 20 résultats du moteur :")
		for classe, texte, attendu in rates:
			print(f"  {classe} : « {texte} » → {attendu}")


def expliquer(frappe, textes: list[str]) -> None:
	"""Le plan de chaque requête SQL exécutée par le moteur pour ces textes, puis par la recherche
	générique (frappe.db.sql enregistré le temps d'un appel, puis EXPLAIN de la requête finale)."""
	from frappe.desk.search import search_link

	from suivi_social.accueil.recherche import rechercher

	def plans(appel):
		vrai = frappe.db.sql
		executees = []

		def enregistrer(query, values=(), *args, **kwargs):
			resultat = vrai(query, values, *args, **kwargs)
			texte = str(frappe.db.last_query or "")
			lue = "tabBeneficiaire" in texte or "suivi_recherche" in texte
			if texte.lstrip().lower().startswith("select") and lue:
				executees.append(texte)
			return resultat

		with patch.object(frappe.db, "sql", enregistrer):
			appel()
		for texte in executees:
			court = " ".join(texte.split())
			print(f"  {court[:220]}{'…' if len(court) > 220 else ''}")
			for ligne in frappe.db.sql(f"explain {texte}", as_dict=True):
				print(
					f"      table={ligne.table} type={ligne.type} key={ligne.key} rows={ligne.rows} "
					f"Extra={ligne.Extra}"
				)

	for texte in textes:
		print(f"\nMoteur, « {texte} » :")
		plans(lambda: rechercher(texte, limite=PAGE))
	print(f"\nRecherche générique de Frappe, « {textes[0]} » :")
	with sans_requete_standard(frappe):
		plans(lambda: search_link("Beneficiaire", textes[0], page_length=PAGE))


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default=generer.SITE_PAR_DEFAUT)
	parser.add_argument("--graine", type=int, default=9)
	parser.add_argument("--par-classe", type=int, default=20, help="requêtes par classe (20)")
	parser.add_argument(
		"--repetitions", type=int, default=3, help="tours de mesure (3), après un d'échauffement"
	)
	parser.add_argument("--sans-explain", action="store_true")
	parser.add_argument(
		"--reindexer", action="store_true", help="reconstruire l'index de la recherche avant de mesurer"
	)
	args = parser.parse_args()

	frappe = generer.ouvrir_site(args.site)
	sys.path.insert(0, str(generer.BENCH))
	from suivi_social.accueil import jetons

	if not frappe.db.count("Beneficiaire"):
		sys.exit("Aucun dossier : lancez d'abord « env/bin/python benchmarks/generer.py ».")
	absent = not jetons.tables_presentes() or not frappe.db.sql(
		f"select 1 from `{jetons.TABLE_JETONS}` limit 1"
	)
	if absent or args.reindexer:
		print("Construction de l'index de la recherche…", flush=True)
		duree, n = chrono(jetons.reconstruire)
		print(f"  {generer.milliers(n)} dossiers indexés en {duree / 1000:.1f} s", flush=True)
	for table in (jetons.TABLE_JETONS, jetons.TABLE_VARIANTES):
		print(f"{table} : {generer.milliers(frappe.db.sql(f'select count(*) from `{table}`')[0][0])} lignes")

	rng = random.Random(args.graine)
	liste = requetes(frappe, rng, args.par_classe)
	try:
		liste += dossiers_nom_de_naissance(frappe)
		frappe.set_user(UTILISATEUR)
		print(
			f"\n{len(liste)} requêtes en tant que {UTILISATEUR} ({STRUCTURE}, "
			f"{generer.milliers(frappe.db.count('Beneficiaire', {'structure': STRUCTURE}))} dossiers sur "
			f"{generer.milliers(frappe.db.count('Beneficiaire'))}), temps serveur en ms, "
			f"{args.repetitions} tours après un d'échauffement :\n",
			flush=True,
		)
		mesurer(frappe, liste, 1)
		afficher(mesurer(frappe, liste, args.repetitions))
		if not args.sans_explain:
			expliquer(
				frappe,
				[
					liste[0][1],
					next(t for c, t, _a in liste if c == "une faute dans le nom"),
					next(t for c, t, _a in liste if c == "début du nom et prénom"),
					next(t for c, t, _a in liste if c == "nom et date (combinés)"),
					next(t for c, t, _a in liste if c == "téléphone 06 12 34 56 78"),
				],
			)
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.destroy()


if __name__ == "__main__":
	main()
