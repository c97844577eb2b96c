"""Writes anciens.xls, the .xls fixture of test_lecture.py (Excel 97-2003, as old CCAS files).

Needs xlwt, which the app does not depend on:  python -m venv /tmp/x && /tmp/x/bin/pip install xlwt
&& /tmp/x/bin/python tests/imports/donnees/creer_xls.py"""

import datetime
from pathlib import Path

import xlwt

classeur = xlwt.Workbook(encoding="utf-8")
date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
titre = xlwt.easyxf("font: bold on")

ws = classeur.add_sheet("Aides 2019")
ws.write_merge(0, 0, 0, 4, "CCAS — Aides facultatives 2019", titre)
for c, entete in enumerate(["NOM", "Prénom", "Date de naiss.", "Montant accordé", "Portable"]):
	ws.write(2, c, entete)
lignes = [
	("LÉVÊQUE", "Madeleine", datetime.date(1944, 3, 2), 45.5, 612345678),
	("Dupont", "jean-pierre", datetime.date(1960, 12, 31), 120, "06 98 76 54 32"),
]
for r, ligne in enumerate(lignes, start=3):
	for c, valeur in enumerate(ligne):
		ws.write(r, c, valeur, date if isinstance(valeur, datetime.date) else xlwt.Style.default_style)
ws.write(6, 0, "TOTAL")
ws.write(6, 3, xlwt.Formula("SUM(D4:D5)"))

ws = classeur.add_sheet("Visites")
for c, entete in enumerate(["Nom", "Prénom", "Visite 1", "Visite 2"]):
	ws.write(0, c, entete)
ws.write(1, 0, "MARTIN")
ws.write(1, 1, "Léa")
ws.write(1, 2, datetime.date(2024, 1, 15), date)
ws.write(1, 3, "15/03/2024")

classeur.save(str(Path(__file__).with_name("anciens.xls")))
