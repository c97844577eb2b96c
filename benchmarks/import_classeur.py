"""Banc d'essai de l'import d'anciens classeurs, à côté du Data Import de Frappe.

	env/bin/python benchmarks/import_classeur.py                       # 10 000 lignes
	env/bin/python benchmarks/import_classeur.py --lignes 2000 --data-import 1000

Sur le site de banc d'essai (bench.localhost, rempli par benchmarks/generer.py : 100 000 dossiers,
1 000 000 d'accompagnements), le script :
1. construit un classeur de la forme de ../shared/data/legacy_cias_sample.xlsx (7 feuilles, titres,
   « NOM Prénom », visites numérotées, dates en tous formats, fautes de frappe…) de --lignes lignes,
   dont 10 % des personnes sont des dossiers existants de la structure (tests/imports/synthese.py) ;
2. chronomètre l'essai (lecture, correspondance, dédoublonnage contre les dossiers de la structure)
   puis l'import réel (écriture par lots, une transaction par lot), et mesure le dédoublonnage
   contre la vérité du classeur ;
3. montre le plan des deux requêtes de recherche des dossiers existants (EXPLAIN : un index) ;
4. chronomètre le Data Import de Frappe sur les mêmes lignes aplaties en une feuille propre de
   Bénéficiaires (une validation et un COMMIT par ligne) ;
5. efface tout ce qu'il a créé et remet les dossiers existants complétés dans leur état.

Le site doit porter la marque `suivi_benchmark` (comme pour generer.py) : le script refuse tout
autre site."""

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))
SITE_PAR_DEFAUT = "bench.localhost"
STRUCTURE = "CCAS Banc A"
DOSSIERS_ATTENDUS = 100_000


def ouvrir(site: str):
	config = BENCH / "sites" / site / "site_config.json"
	if not config.exists():
		sys.exit(f"Site {site} absent : lancez d'abord « env/bin/python benchmarks/generer.py ».")
	if not json.loads(config.read_text()).get("suivi_benchmark"):
		sys.exit(f"{site} n'est pas un site de banc d'essai (marque suivi_benchmark absente) : refus.")
	os.chdir(BENCH / "sites")
	import frappe

	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.flags.mute_emails = True
	frappe.set_user("Administrator")
	return frappe


def dossiers_existants(frappe, nombre: int, graine: int) -> list[dict]:
	prefixe = frappe.db.get_value("Structure", STRUCTURE, "prefixe_dossier")
	total = frappe.db.count("Beneficiaire", {"structure": STRUCTURE})
	rng = random.Random(graine)
	noms = [f"{prefixe}-{n:05d}" for n in rng.sample(range(1, total + 1), min(nombre, total))]
	return frappe.get_all(
		"Beneficiaire",
		filters={"name": ("in", noms), "date_naissance": ("is", "set")},
		fields=["name", "nom_usage", "prenoms", "date_naissance"],
	)


def instantane(frappe, noms: list[str]) -> list[dict]:
	from suivi_social.imports.ecriture import CHAMPS_A_COMPLETER

	return frappe.get_all(
		"Beneficiaire",
		filters={"name": ("in", noms or [""])},
		fields=["name", *CHAMPS_A_COMPLETER, "nom_recherche", "telephones_recherche"],
	)


def numero_de_serie(frappe) -> tuple[str, int]:
	"""The structure's file series (« BANCA- ») and its current number: every file numbered
	above it after a run was created by that run."""
	prefixe = frappe.db.get_value("Structure", STRUCTURE, "prefixe_dossier")
	courant = frappe.db.sql("select `current` from `tabSeries` where `name` = %s", f"{prefixe}-")
	return f"{prefixe}-", int(courant[0][0]) if courant else 0


def crees_apres(frappe, serie: tuple[str, int]) -> list[str]:
	prefixe, numero = serie
	return frappe.db.sql_list(
		"select name from `tabBeneficiaire` where structure = %s and name > %s and name like %s",
		(STRUCTURE, f"{prefixe}{numero:05d}", f"{prefixe}%"),
	)


def effacer_import(frappe, nom_import: str, debut, serie: tuple[str, int], avant: list[dict]) -> None:
	"""Everything the run created (files numbered after `serie`), and the existing files it
	completed (`avant`, read before the run) put back as they were."""
	from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import rafraichir_synthese

	lignes = frappe.get_all(
		"Ligne Importee", filters={"import_classeur": nom_import}, fields=["accompagnements"]
	)
	accompagnements = [a for l in lignes for a in (l.accompagnements or "").split()]
	for k in range(0, len(accompagnements), 2000):
		lot = accompagnements[k : k + 2000]
		frappe.db.sql("delete from `tabType Accompagnement Lien` where parent in %s", [lot])
		frappe.db.sql("delete from `tabAccompagnement` where name in %s", [lot])
	crees = crees_apres(frappe, serie)
	for k in range(0, len(crees), 2000):
		lot = crees[k : k + 2000]
		frappe.db.sql("delete from `tabReferent Beneficiaire` where parent in %s", [lot])
		frappe.db.sql("delete from `tabBeneficiaire` where name in %s", [lot])
	frappe.db.sql("delete from `tabLigne Importee` where import_classeur = %s", nom_import)
	for fichier in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Import Classeur", "attached_to_name": nom_import},
		pluck="name",
	):
		frappe.delete_doc("File", fichier, force=True, ignore_permissions=True)
	frappe.db.sql("delete from `tabImport Classeur Feuille` where parent = %s", nom_import)
	frappe.db.sql("delete from `tabImport Classeur` where name = %s", nom_import)
	for doctype in ("Modele Import", "Type Accompagnement"):
		frappe.db.sql(
			f"delete from `tab{doctype}` where structure = %s and creation >= %s", (STRUCTURE, debut)
		)
	for dossier in avant:
		valeurs = {k: v for k, v in dossier.items() if k != "name"}
		frappe.db.set_value("Beneficiaire", dossier["name"], valeurs, update_modified=False)
		rafraichir_synthese(dossier["name"])
	frappe.db.sql("update `tabSeries` set `current` = %s where `name` = %s", (serie[1], serie[0]))
	frappe.db.commit()


def expliquer(frappe, identites) -> list[str]:
	from suivi_social.imports import doublons

	requetes = []
	sql = frappe.db.sql

	def espion(requete, *args, **kwargs):
		if "from `tabBeneficiaire`" in str(requete):
			requetes.append((requete, args[0] if args else None))
		return sql(requete, *args, **kwargs)

	frappe.db.sql = espion
	try:
		doublons.chercher_dossiers(STRUCTURE, identites)
	finally:
		del frappe.db.sql
	plans = []
	for requete, valeurs in requetes[:1] + requetes[-1:]:
		for plan in frappe.db.sql(f"explain {requete}", valeurs, as_dict=True):
			plans.append(f"type={plan.type} index={plan.key} lignes estimées={plan.rows}")
	return plans


def data_import(frappe, verite: dict, nombre: int) -> tuple[int, float]:
	"""Frappe's Data Import of the same rows, flattened to one clean sheet of Bénéficiaires."""
	import csv

	from frappe.core.doctype.data_import.data_import import import_file

	personnes = {p["id"]: p for p in verite["people"]}
	chemin = Path(tempfile.mkdtemp()) / "beneficiaires.csv"
	with chemin.open("w", newline="", encoding="utf-8") as f:
		ecrivain = csv.writer(f)
		ecrivain.writerow(
			["structure", "nom_usage", "prenoms", "date_naissance", "commune", "doublon_confirme"]
		)
		for record in verite["records"][:nombre]:
			p = personnes[record["person"]]
			ecrivain.writerow([STRUCTURE, p["nom"], p["prenom"], p["date_naissance"], p["commune"], 1])
	serie = numero_de_serie(frappe)
	top = time.perf_counter()
	# console=True reads the file from its path (and prints a progress bar, silenced here).
	with open(os.devnull, "w") as muet, contextlib.redirect_stdout(muet):
		import_file("Beneficiaire", str(chemin), "Insert", console=True)
	duree = time.perf_counter() - top
	crees = crees_apres(frappe, serie)
	for k in range(0, len(crees), 2000):
		frappe.db.sql("delete from `tabBeneficiaire` where name in %s", [crees[k : k + 2000]])
	frappe.db.sql("update `tabSeries` set `current` = %s where `name` = %s", (serie[1], serie[0]))
	frappe.db.commit()
	return len(crees), duree


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default=SITE_PAR_DEFAUT)
	parser.add_argument("--lignes", type=int, default=10_000)
	parser.add_argument(
		"--data-import", type=int, default=None, help="lignes du Data Import (toutes par défaut)"
	)
	parser.add_argument("--graine", type=int, default=int(time.time()))
	arguments = parser.parse_args()

	frappe = ouvrir(arguments.site)
	from suivi_social.imports import cli, service
	from suivi_social.imports.doublons import Identite
	from tests.imports import synthese
	from tests.imports.verite import mesurer

	dossiers = frappe.db.count("Beneficiaire")
	print(
		f"Site {arguments.site} : {dossiers:,} dossiers, structure « {STRUCTURE} » : "
		f"{frappe.db.count('Beneficiaire', {'structure': STRUCTURE}):,}".replace(",", " ")
	)
	if dossiers < DOSSIERS_ATTENDUS:
		print(
			f"  (moins de {DOSSIERS_ATTENDUS:,} dossiers : lancez benchmarks/generer.py pour la mesure de référence)".replace(
				",", " "
			)
		)
	existants = dossiers_existants(frappe, arguments.lignes // 10, arguments.graine)
	contenu, verite = synthese.classeur(arguments.lignes, graine=arguments.graine, existants=existants)
	chemin = Path(tempfile.mkdtemp()) / f"classeur-{arguments.lignes}.xlsx"
	chemin.write_bytes(contenu)
	lignes = len(verite["records"])
	print(
		f"Classeur : {lignes:,} lignes sur 7 feuilles, {len(verite['people']):,} personnes dont "
		f"{sum(1 for p in verite['people'] if p.get('dossier')):,} dossiers existants".replace(",", " ")
	)

	top = time.perf_counter()
	essai = cli.importer(str(chemin), STRUCTURE, essai=True, afficher=lambda _t: None)
	duree_essai = time.perf_counter() - top

	# The existing files the run may complete: those the dry run sends rows to.
	avant = instantane(
		frappe,
		sorted(
			{
				l["beneficiaire"]
				for l in essai["lignes"]
				if l["outcome"] in ("merged", "review")
				and l["beneficiaire"]
				and not l["beneficiaire"].startswith("nouveau-")
			}
		),
	)
	serie = numero_de_serie(frappe)
	debut = frappe.utils.now()
	top = time.perf_counter()
	rapport = cli.importer(str(chemin), STRUCTURE, afficher=lambda _t: None)
	duree = time.perf_counter() - top
	resume = rapport["resume"]
	mesures = mesurer(rapport, verite)
	dans_leur_dossier = sum(
		1
		for r, l in zip(verite["records"], rapport["lignes"], strict=True)
		if r.get("dossier") and l["beneficiaire"] == r["dossier"]
	)
	lignes_existantes = sum(1 for r in verite["records"] if r.get("dossier"))
	plans = expliquer(
		frappe,
		[
			Identite(
				nom=p["nom"], prenoms=p["prenom"], date_naissance=frappe.utils.getdate(p["date_naissance"])
			)
			for p in verite["people"][:2000]
		],
	)
	effacer_import(frappe, rapport["import_classeur"], debut, serie, avant)

	debit = lignes / duree
	print(
		f"\nImport Suivi social : {lignes:,} lignes en {duree:.1f} s → {debit:,.0f} lignes/s".replace(
			",", " "
		)
	)
	print(f"  essai seul (lecture, correspondance, dédoublonnage) : {duree_essai:.1f} s")
	print(
		f"  {resume['personnes_creees']:,} dossiers créés, {resume['personnes_existantes']:,} existants complétés, "
		f"{resume['accompagnements']:,} accompagnements ; {resume['importees']:,} importées, {resume['fusionnees']:,} "
		f"fusionnées, {resume['a_verifier']:,} à vérifier, {resume['rejetees']:,} rejetées".replace(",", " ")
	)
	print(
		f"  dédoublonnage : {mesures['personnes_trouvees']:,} personnes trouvées / {mesures['personnes_reelles']:,} réelles, "
		f"précision {mesures['precision']:.4f}, rappel {mesures['rappel']:.4f} ; lignes de dossiers existants "
		f"rattachées à leur dossier : {dans_leur_dossier}/{lignes_existantes}".replace(",", " ")
	)
	for plan in plans:
		print(f"  recherche des dossiers existants : {plan}")
	assert essai["resume"]["lignes"] == resume["lignes"]

	nombre = arguments.data_import or lignes
	crees, duree_di = data_import(frappe, verite, nombre)
	debit_di = crees / duree_di if duree_di else 0
	print(
		f"\nData Import de Frappe : {crees:,} lignes (une feuille propre de Bénéficiaires) en {duree_di:.1f} s → "
		f"{debit_di:,.0f} lignes/s".replace(",", " ")
	)
	if debit_di:
		print(f"Rapport : {debit / debit_di:.1f}× (objectifs : ≥ 300 lignes/s et ≥ 10×)")
	frappe.destroy()


if __name__ == "__main__":
	main()
