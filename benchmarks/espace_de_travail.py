"""Banc d'essai : la page de l'espace de travail « Suivi social » (frappe.desk.desktop.get_desktop_page),
ce que le bureau demande à chaque ouverture, sur le site bench.localhost.

	env/bin/python benchmarks/generer.py            # une fois : les données (site bench.localhost)
	env/bin/python benchmarks/espace_de_travail.py  # quelques secondes

En tant qu'un Travailleur social puis un Responsable de structure, dans le même processus, une requête
simulée par appel (le cache de requête de Frappe est vidé entre deux appels, comme entre deux requêtes) :
1. Frappe tel quel : permissions.get_doctypes_with_read relit les tables DocPerm et Custom DocPerm
   entières pour chaque carte chiffrée et chaque graphique de la page ;
2. l'application (frappe_fixes, correctif 10) : la réponse est gardée le temps de la requête.
Affiche p50 et maximum de chacun, et le rapport 1 / 2."""

import json
import statistics
import time
from collections import defaultdict

import generer

TOURS = 20
PAGE = json.dumps({"name": "Suivi social", "title": "Suivi social", "public": 1})


def mesurer(etiquette: str) -> float:
	import frappe
	from frappe.desk.desktop import get_desktop_page

	temps = []
	for _ in range(TOURS):
		frappe.local.request_cache = defaultdict(dict)
		debut = time.perf_counter()
		page = get_desktop_page(PAGE)
		temps.append((time.perf_counter() - debut) * 1000)
	assert page["number_cards"]["items"], "la page n'a aucune carte chiffrée : mauvais utilisateur ?"
	temps.sort()
	print(f"  {etiquette:<48} p50 {statistics.median(temps):7.1f} ms   max {temps[-1]:7.1f} ms")
	return statistics.median(temps)


def main() -> None:
	frappe = generer.ouvrir_site("bench.localhost")
	from frappe import permissions

	from suivi_social import frappe_fixes

	structure = generer.STRUCTURES[0][0]
	for role, prefixe in (("Travailleur social", "ts"), ("Responsable de structure", "resp")):
		frappe.set_user(generer.courriel(prefixe, structure))
		print(f"{role} ({frappe.session.user}), {TOURS} ouvertures de la page :")
		permissions.get_doctypes_with_read = frappe_fixes._get_doctypes_with_read
		frappe_ = mesurer("1. Frappe tel quel")
		permissions.get_doctypes_with_read = frappe_fixes._doctypes_lisibles
		appli = mesurer("2. application (correctif 10)")
		print(f"  rapport 1 / 2 : {frappe_ / appli:.1f}×")
	frappe.destroy()


if __name__ == "__main__":
	main()
