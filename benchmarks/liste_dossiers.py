"""Banc d'essai : la liste des dossiers actifs d'une structure, la plus récente d'abord (la vue liste
de « Bénéficiaire »), sur les 100 000 dossiers du site bench.localhost.

	env/bin/python benchmarks/generer.py          # une fois : les données (site bench.localhost)
	env/bin/python benchmarks/liste_dossiers.py   # quelques secondes

En tant qu'un Travailleur social, dans le même processus, l'appel que fait le bureau
(frappe.desk.reportview.get, 20 lignes, filtre statut = Actif, tri sur `modified`) :
1. réglage par défaut de MariaDB : l'optimiseur croise les index `structure` et `statut`
   (index_merge intersection : des dizaines de milliers de lignes, puis un tri) ;
2. `index_merge_intersection=off` (ce que pose ./suivi production, scripts/production.py) ;
3. le même, avec en plus un index composite (structure, statut, modified), essayé puis retiré :
   il n'apporte presque rien une fois l'intersection coupée, l'application ne le crée donc pas ;
4. cet index seul, intersection permise (l'optimiseur l'ignore).
Affiche p50 et maximum de chacun, et le rapport 1 / 3. Le réglage est posé pour la session de la
mesure seulement ; l'index est retiré à la fin."""

import os
import statistics
import time
from pathlib import Path

import frappe

SITES = Path(__file__).resolve().parent.parent / "sites"
INDEX = "structure_statut_modified_index"
TOURS = 15


def mesurer(etiquette: str) -> float:
	from frappe.desk import reportview

	temps = []
	for _ in range(TOURS):
		frappe.local.form_dict = frappe._dict(
			doctype="Beneficiaire",
			fields=[f"`tabBeneficiaire`.`{c}`" for c in ("name", "nom_complet", "statut", "modified")],
			filters=[["Beneficiaire", "statut", "=", "Actif"]],
			order_by="`tabBeneficiaire`.`modified` desc",
			start=0,
			page_length=20,
			view="List",
			with_comment_count=1,
		)
		debut = time.perf_counter()
		reportview.get()
		temps.append((time.perf_counter() - debut) * 1000)
	temps.sort()
	print(f"{etiquette:<55} p50 {statistics.median(temps):7.1f} ms   max {temps[-1]:7.1f} ms")
	return statistics.median(temps)


def main() -> None:
	os.chdir(SITES)  # Frappe writes its logs in ../logs
	frappe.init(site="bench.localhost", sites_path=str(SITES))
	frappe.connect()
	agent = frappe.db.sql(
		"""select u.name from tabUser u join `tabHas Role` r on r.parent = u.name
		where r.role = 'Travailleur social' and u.enabled = 1 order by u.name limit 1"""
	)[0][0]
	frappe.set_user(agent)
	index_present = bool(frappe.db.sql(f"show index from tabBeneficiaire where Key_name = '{INDEX}'"))
	if index_present:
		frappe.db.sql(f"alter table tabBeneficiaire drop index {INDEX}")
	try:
		frappe.db.sql("set session optimizer_switch = 'index_merge_intersection=on'")
		defaut = mesurer("1. défaut (intersection des index)")
		frappe.db.sql("set session optimizer_switch = 'index_merge_intersection=off'")
		mesurer("2. index_merge_intersection=off")
		frappe.db.sql(f"alter table tabBeneficiaire add index {INDEX} (structure, statut, modified)")
		regle = mesurer("3. off + index (structure, statut, modified)")
		frappe.db.sql("set session optimizer_switch = 'index_merge_intersection=on'")
		mesurer("4. index seul, intersection permise")
	finally:
		if not index_present and frappe.db.sql(f"show index from tabBeneficiaire where Key_name = '{INDEX}'"):
			frappe.db.sql(f"alter table tabBeneficiaire drop index {INDEX}")
		elif index_present and not frappe.db.sql(
			f"show index from tabBeneficiaire where Key_name = '{INDEX}'"
		):
			frappe.db.sql(f"alter table tabBeneficiaire add index {INDEX} (structure, statut, modified)")
	print(f"rapport 1 / 3 : {defaut / regle:.1f}×  (agent {agent})")


if __name__ == "__main__":
	main()
