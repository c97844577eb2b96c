"""Banc d'essai : la liste des fichiers (File) d'un travailleur social, et celle des bénéficiaires.

	env/bin/python benchmarks/generer.py            # une fois : les données (site bench.localhost)
	env/bin/python benchmarks/liste_fichiers.py     # environ 1 minute

Pour chaque liste, dans le même processus et sur les mêmes données :
- plancher : le SQL brut de la même page (mêmes colonnes, même tri, 20 lignes), sans aucune
  condition de permission ;
- get_list : frappe.get_list en tant que l'utilisateur (ce que fait frappe.desk.reportview pour
  la vue liste), avec l'ancienne condition de permissions/fichiers.py (gardée ci-dessous pour
  comparaison), la nouvelle, et sans condition de l'application (les seules règles de Frappe : ce
  qui ne dépend pas de nous) ;
- HTTP : la même requête que la vue liste du desk (frappe.desk.reportview.get) par werkzeug Client
  sur frappe.app.application, session ouverte par /api/method/login : tout le cycle d'une requête ;
- le compte de la vue liste (reportview.get_count, plafonné à 1 001 comme le fait le desk).
Affiche p50/p95, le rapport au plancher et le gain de la nouvelle condition sur l'ancienne, après
avoir vérifié que les deux conditions listent exactement les mêmes fichiers."""

import argparse
import statistics
import sys
import time
import warnings
from threading import Thread
from unittest.mock import patch

import generer

CHAMPS_FICHIER = (
	"name",
	"file_name",
	"file_url",
	"is_private",
	"file_size",
	"file_type",
	"is_folder",
	"attached_to_doctype",
	"attached_to_name",
	"owner",
	"modified",
	"docstatus",
	"_user_tags",
	"_comments",
	"_assign",
	"_liked_by",
)
CHAMPS_BENEFICIAIRE = (
	"name",
	"nom_complet",
	"statut",
	"structure",
	"date_naissance",
	"dernier_contact",
	"owner",
	"modified",
	"docstatus",
	"_user_tags",
	"_comments",
	"_assign",
	"_liked_by",
)
PAGE = 20
VERSIONS = (
	("ancienne", "ancienne condition"),
	("nouvelle", "nouvelle condition"),
	("absente", "règles de Frappe seules"),
)
PLAFOND_COMPTE = 1001  # count_upper_bound de la vue liste (list_view.js)


def ancienne_condition(user: str | None = None, doctype: str | None = None) -> str:
	"""permissions/fichiers.py avant la réécriture : `attached_to_name in (select name …)`."""
	import frappe

	from suivi_social.permissions.fichiers import PROTECTED_DOCTYPES

	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	visibles = []
	for dt in PROTECTED_DOCTYPES:
		if not frappe.has_permission(dt, "read", user=user):
			continue
		names = frappe.get_list(
			dt, fields=[f"`tab{dt}`.`name`"], order_by="", limit_page_length=0, run=0, user=user
		)
		visibles.append(
			f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(dt)} and `tabFile`.`attached_to_name` in ({names}))"
		)
	proteges = ", ".join(frappe.db.escape(dt) for dt in PROTECTED_DOCTYPES)
	return f"(ifnull(`tabFile`.`attached_to_doctype`, '') not in ({proteges}) {''.join(' or ' + v for v in visibles)})"


def condition(version: str):
	"""Remplace le temps d'un bloc la condition de permissions/fichiers.py (résolue à chaque appel)."""
	from suivi_social.permissions import fichiers

	remplacement = {
		"nouvelle": fichiers.query_conditions,
		"ancienne": ancienne_condition,
		"absente": lambda user=None, doctype=None: "",
	}[version]
	return patch.object(fichiers, "query_conditions", remplacement)


# --- mesures --------------------------------------------------------------------------------------


def mesurer(fonction, repetitions: int, echauffement: int = 2) -> list[float]:
	for _ in range(echauffement):
		fonction()
	durees = []
	for _ in range(repetitions):
		debut = time.perf_counter()
		fonction()
		durees.append((time.perf_counter() - debut) * 1000)
	return durees


def p(durees: list[float], centile: int) -> float:
	return statistics.quantiles(durees, n=100, method="inclusive")[centile - 1]


class Client:
	"""Requêtes HTTP dans le processus, chacune dans son thread (Frappe garde un contexte par thread)."""

	def __init__(self, site: str, user: str, mot_de_passe: str):
		import frappe.app
		from werkzeug.test import Client as WerkzeugClient

		self.site = site
		self.client = WerkzeugClient(frappe.app.application, use_cookies=True)
		reponse = self.appeler("post", "/api/method/login", data={"usr": user, "pwd": mot_de_passe})
		if reponse.status_code != 200:
			sys.exit(
				f"Connexion de {user} refusée : {reponse.status_code} {reponse.get_data(as_text=True)[:200]}"
			)

	def appeler(self, methode: str, chemin: str, **kwargs):
		resultat = {}

		def executer():
			with patch("frappe.app.get_site_name", return_value=self.site):
				resultat["reponse"] = getattr(self.client, methode)(chemin, **kwargs)

		thread = Thread(target=executer)
		thread.start()
		thread.join()
		return resultat["reponse"]

	def get(self, methode: str, **params):
		import json

		reponse = self.appeler(
			"get",
			f"/api/method/{methode}",
			query_string={k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()},
		)
		if reponse.status_code != 200:
			raise RuntimeError(f"{methode} : {reponse.status_code} {reponse.get_data(as_text=True)[:300]}")
		return reponse.json["message"]


def args_liste(doctype: str, champs: tuple[str, ...]) -> dict:
	"""Les paramètres que la vue liste du desk envoie à frappe.desk.reportview.get."""
	return {
		"doctype": doctype,
		"fields": [f"`tab{doctype}`.`{c}`" for c in champs],
		"filters": [],
		"order_by": f"`tab{doctype}`.`modified` desc",
		"start": 0,
		"page_length": PAGE,
		"view": "List",
		"group_by": "",
		"with_comment_count": 1,
	}


def plancher(frappe, doctype: str, champs: tuple[str, ...]):
	colonnes = ", ".join(f"`tab{doctype}`.`{c}`" for c in champs)
	sql = f"select {colonnes} from `tab{doctype}` order by `tab{doctype}`.`modified` desc limit {PAGE}"
	return lambda: frappe.db.sql(sql)


def plancher_compte(frappe, doctype: str):
	sql = f"select count(*) from (select 1 from `tab{doctype}` limit {PLAFOND_COMPTE}) t"
	return lambda: frappe.db.sql(sql)


def page_get_list(frappe, doctype: str, champs: tuple[str, ...], user: str):
	return lambda: frappe.get_list(
		doctype,
		fields=[f"`tab{doctype}`.`{c}`" for c in champs],
		order_by=f"`tab{doctype}`.`modified` desc",
		limit_page_length=PAGE,
		with_comment_count=True,
		user=user,
	)


def compte_get_list(frappe, doctype: str, user: str):
	"""reportview.get_count de la vue liste : les noms de la page plafonnée, comptés."""

	def compter():
		partielle = frappe.get_list(
			doctype, fields=[f"`tab{doctype}`.name"], limit=PLAFOND_COMPTE, order_by=None, user=user, run=0
		)
		return frappe.db.sql(f"select count(*) from ({partielle}) p")[0][0]

	return compter


def tableau(titre: str, lignes: list[tuple[str, list[float]]]) -> None:
	"""p50/p95 de chaque ligne, rapport au plancher (1re ligne) et gain de la nouvelle sur l'ancienne."""
	print(f"\n{titre}")
	p50 = {libelle: p(durees, 50) for libelle, durees in lignes}
	plancher = lignes[0][0]
	print(f"  {'':<50} {'p50 ms':>9} {'p95 ms':>9} {'× plancher':>11}")
	for libelle, durees in lignes:
		gain = ""
		if "nouvelle" in libelle and (ancienne := libelle.replace("nouvelle", "ancienne")) in p50:
			gain = f"   ancienne / nouvelle : {p50[ancienne] / p50[libelle]:.1f}"
		print(
			f"  {libelle:<50} {p50[libelle]:>9.2f} {p(durees, 95):>9.2f} {p50[libelle] / p50[plancher]:>10.1f}×{gain}"
		)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default=generer.SITE_PAR_DEFAUT)
	parser.add_argument("--repetitions", type=int, default=30)
	parser.add_argument(
		"--utilisateur",
		default=generer.courriel("ts", generer.STRUCTURES[0][0]),
		help="un Travailleur social",
	)
	parser.add_argument("--sans-http", action="store_true", help="ne mesurer que frappe.get_list et le SQL")
	args = parser.parse_args()
	warnings.filterwarnings("ignore", module="pypdf")  # importé par l'application, sans rapport
	frappe = generer.ouvrir_site(args.site)
	n, user = args.repetitions, args.utilisateur
	try:
		volumes = generer.deja_genere(frappe)
		print(f"Site {args.site}, utilisateur {user}, {n} mesures par ligne (après 2 d'échauffement).")
		print("Volumes : " + ", ".join(f"{dt} {c:,}".replace(",", " ") for dt, c in volumes.items()))
		verifier_equivalence(frappe, user)
		client = None if args.sans_http else Client(args.site, user, generer.MOT_DE_PASSE)
		liste = args_liste("File", CHAMPS_FICHIER)
		compte = {"doctype": "File", "filters": [], "limit": PLAFOND_COMPTE}

		page = [("plancher : SQL brut, sans condition", mesurer(plancher(frappe, "File", CHAMPS_FICHIER), n))]
		comptes = [("plancher : SQL brut, sans condition", mesurer(plancher_compte(frappe, "File"), n))]
		for version, libelle in VERSIONS:
			with condition(version):
				page.append(
					(f"get_list, {libelle}", mesurer(page_get_list(frappe, "File", CHAMPS_FICHIER, user), n))
				)
				comptes.append((f"get_list, {libelle}", mesurer(compte_get_list(frappe, "File", user), n)))
				if client and version != "absente":
					page.append(
						(
							f"HTTP reportview.get, {libelle}",
							mesurer(lambda: client.get("frappe.desk.reportview.get", **liste), n),
						)
					)
					comptes.append(
						(
							f"HTTP reportview.get_count, {libelle}",
							mesurer(lambda: client.get("frappe.desk.reportview.get_count", **compte), n),
						)
					)
		tableau("Liste des fichiers (File), page de 20, tri par date de modification :", page)
		tableau(f"Compte de la vue liste des fichiers (plafonné à {PLAFOND_COMPTE}) :", comptes)

		liste = args_liste("Beneficiaire", CHAMPS_BENEFICIAIRE)
		reference = [
			(
				"plancher : SQL brut, sans condition",
				mesurer(plancher(frappe, "Beneficiaire", CHAMPS_BENEFICIAIRE), n),
			),
			("get_list", mesurer(page_get_list(frappe, "Beneficiaire", CHAMPS_BENEFICIAIRE, user), n)),
		]
		if client:
			reference.append(
				("HTTP reportview.get", mesurer(lambda: client.get("frappe.desk.reportview.get", **liste), n))
			)
		tableau("Liste des bénéficiaires (référence), page de 20 :", reference)
	finally:
		frappe.destroy()


def verifier_equivalence(frappe, user: str) -> None:
	"""Les deux conditions listent exactement les mêmes fichiers (sur toute la table)."""
	resultats = {}
	for version in ("ancienne", "nouvelle"):
		with condition(version):
			resultats[version] = set(frappe.get_list("File", pluck="name", limit_page_length=0, user=user))
	if resultats["ancienne"] != resultats["nouvelle"]:
		sys.exit(
			f"Les conditions diffèrent : {len(resultats['ancienne'] - resultats['nouvelle'])} fichiers en moins, "
			f"{len(resultats['nouvelle'] - resultats['ancienne'])} en trop."
		)
	total = frappe.db.count("File")
	print(
		f"Mêmes fichiers listés par les deux conditions : {len(resultats['nouvelle']):,} sur {total:,}.".replace(
			",", " "
		)
	)


if __name__ == "__main__":
	main()
