"""A past import for the demo site: a small legacy workbook of the CCAS de Démoville, imported by
its responsable with the real engine, so that the desk shows an import, its reports, its
templates and the files it created.

`importer_classeur_de_demonstration()` returns every record it created, oldest first, for the
demo's registry (suivi_social/demo: `clear_demo_data` deletes them in reverse order)."""

import io

import frappe

NOM_FICHIER = "anciens-tableaux-ccas.xlsx"


def classeur_de_demonstration() -> bytes:
	import openpyxl

	classeur = openpyxl.Workbook()
	aides = classeur.active
	aides.title = "Aides 2023"
	aides.append(["CCAS de Démoville — aides facultatives 2023"])
	aides.merge_cells("A1:H1")
	aides.append([])
	aides.append(
		[
			"Nom Prénom",
			"DDN",
			"Commune",
			"Montant demandé",
			"Montant accordé",
			"Date commission",
			"Décision",
			"Référent",
		]
	)
	for ligne in (
		["BLANCHARD Odile", "14/02/1952", "Démoville", "120,00 €", "120", "12/01/2023", "Accord", "KB"],
		["Blanchard odile", "14/02/52", "DEMOVILLE", 80, 40, "09/03/2023", "Accord partiel", "KB"],
		["RENAUD Yanis", "03.07.1990", "Démoville", "300€", 0, "09/03/2023", "refusé", "KB"],
		["COLIN Paulette", "né en 1938", "Démoville", 60, 60, "06/04/2023", "ok", "SM"],
		[None, None, "Démoville", 50, 50, "06/04/2023", "ok", "KB"],
		["TOTAL", None, None, None, 220],
	):
		aides.append(ligne)
	visites = classeur.create_sheet("Visites")
	visites.append(["Nom", "Prénom", "Téléphone", "Visite 1", "Visite 2", "Bénévole"])
	visites.append(["COLIN", "Paulette", 612345678, "15/05/2023", "20/09/2023", "Mme Petit"])
	visites.append(["BLANCHARD", "Odile", "06 98 76 54 32", "02/06/2023", None, "M. Roy"])
	sortie = io.BytesIO()
	classeur.save(sortie)
	return sortie.getvalue()


def importer_classeur_de_demonstration(
	structure: str = "CCAS de Démoville",
	responsable: str = "responsable@ccas-demo.fr",
	agent: str = "travailleur@ccas-demo.fr",
) -> list[tuple[str, str]]:
	from suivi_social.imports import execution
	from suivi_social.imports.ecriture import Transaction

	if frappe.db.exists("Import Classeur", {"structure": structure, "nom_fichier": NOM_FICHIER}):
		return []
	utilisateur = frappe.session.user
	frappe.set_user(responsable)
	try:
		crees: list[tuple[str, str]] = []
		correspondance = frappe.get_doc(
			{"doctype": "Correspondance Referent", "structure": structure, "code": "KB", "utilisateur": agent}
		).insert()
		crees.append(("Correspondance Referent", correspondance.name))
		doc = execution.nouvel_import(structure, NOM_FICHIER, classeur_de_demonstration(), agent)
		crees.append(("Import Classeur", doc.name))
		execution.analyser(doc)
		avant = set(frappe.get_all("Type Accompagnement", filters={"structure": structure}, pluck="name"))
		transaction = Transaction(valider=not frappe.flags.in_test)
		execution.executer(doc.name, transaction=transaction)
		crees += [
			("Type Accompagnement", t)
			for t in frappe.get_all("Type Accompagnement", filters={"structure": structure}, pluck="name")
			if t not in avant
		]
		crees += [
			("Modele Import", m)
			for m in frappe.get_all("Modele Import", filters={"structure": structure}, pluck="name")
		]
		lignes = frappe.get_all(
			"Ligne Importee",
			filters={"import_classeur": doc.name},
			fields=["name", "beneficiaire", "accompagnements", "issue"],
		)
		beneficiaires = {l.beneficiaire for l in lignes if l.issue != "Fusionnée"}
		crees += [("Beneficiaire", b) for b in sorted(beneficiaires)]
		crees += [("Accompagnement", a) for l in lignes for a in (l.accompagnements or "").split()]
		crees += [("Ligne Importee", l.name) for l in lignes]
		return crees
	finally:
		frappe.set_user(utilisateur)
