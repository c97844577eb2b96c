"""Workbooks built in memory for the import tests."""

import io

import openpyxl


def xlsx(feuilles: dict[str, list[list]], fusions: dict[str, list[str]] | None = None) -> bytes:
	classeur = openpyxl.Workbook()
	classeur.remove(classeur.active)
	for nom, lignes in feuilles.items():
		ws = classeur.create_sheet(nom)
		for ligne in lignes:
			ws.append(ligne)
		for plage in (fusions or {}).get(nom, []):
			ws.merge_cells(plage)
	sortie = io.BytesIO()
	classeur.save(sortie)
	return sortie.getvalue()


def ods(feuilles: dict[str, list[list]]) -> bytes:
	"""An OpenDocument spreadsheet, written with odfpy (text, floats and dates)."""
	import datetime

	from odf.opendocument import OpenDocumentSpreadsheet
	from odf.table import Table, TableCell, TableRow
	from odf.text import P

	document = OpenDocumentSpreadsheet()
	for nom, lignes in feuilles.items():
		table = Table(name=nom)
		for ligne in lignes:
			tr = TableRow()
			for valeur in ligne:
				if valeur is None:
					tr.addElement(TableCell())
				elif isinstance(valeur, datetime.date):
					cellule = TableCell(valuetype="date", datevalue=valeur.isoformat())
					cellule.addElement(P(text=valeur.strftime("%d/%m/%Y")))
					tr.addElement(cellule)
				elif isinstance(valeur, int | float):
					cellule = TableCell(valuetype="float", value=valeur)
					cellule.addElement(P(text=str(valeur)))
					tr.addElement(cellule)
				else:
					cellule = TableCell(valuetype="string")
					cellule.addElement(P(text=str(valeur)))
					tr.addElement(cellule)
			table.addElement(tr)
		document.spreadsheet.addElement(table)
	sortie = io.BytesIO()
	document.write(sortie)
	return sortie.getvalue()


def televerser(contenu: bytes, nom: str) -> str:
	"""A private upload of the current user, as the desk's upload dialog makes it; returns its URL."""
	import frappe

	fichier = frappe.get_doc({"doctype": "File", "file_name": nom, "is_private": 1, "content": contenu})
	fichier.insert(ignore_permissions=True)
	return fichier.file_url


def petit_classeur() -> bytes:
	return xlsx(
		{
			"Aides": [
				["CCAS — Aides 2024"],
				[],
				[
					"Nom Prénom",
					"DDN",
					"Commune",
					"Montant demandé",
					"Montant accordé",
					"Date commission",
					"Décision",
					"Référent",
				],
				["PERRIER Monique", "20/06/1951", "Épinac", "45,50 €", "45.5", "20/10/2023", "ok", "AR"],
				["Perrier monique", "20/06/51", "EPINAC", 30, "15€", "29/06/2023", "Accord partiel", "AR"],
				["RAYMOND Jeanne", "19.05.1981", "Curgy", "200,00 €", 0, "14/12/2023", "refusé", "NT"],
				[
					"GONZALEZ André",
					"né en 2004",
					"Cussy-en-Morvan",
					45.5,
					None,
					"21/11/2023",
					"Ajourné",
					"NT",
				],
				[None, None, "Autun", 10, None, "01/01/2024", "ok", None],
				["TOTAL", None, None, None, 60.5, None, None, None],
			],
			"Visites": [
				["Nom", "Prénom", "Téléphone", "Visite 1", "Visite 2"],
				["raymond", "jeanne", 612345678, "02/02/2024", "05/03/2024"],
			],
		}
	)
