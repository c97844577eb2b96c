"""Reading a legacy workbook: every sheet of an .xlsx, .xls, .ods or .csv, as rows of raw values.

Pure Python (no Frappe import): the readers are openpyxl (data_only: the values Excel computed,
not the formulas), xlrd, odfpy and the csv module; the encoding of a CSV is detected with
charset-normalizer. Whatever goes wrong is raised as :class:`ClasseurIllisible` with a French
sentence meant for the person who uploaded the file.

A cell value is None, str, int, float, bool, datetime.date or datetime.datetime. Formula errors
(#REF!, #DIV/0!…) come as their text, and are refused later, cell by cell, by the normalisers.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
	"EXTENSIONS",
	"TAILLE_MAXIMALE",
	"ClasseurIllisible",
	"Feuille",
	"lire_classeur",
]

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
# Frappe's own upload limit (max_file_size) is 25 MB; a legacy workbook is far below.
TAILLE_MAXIMALE = 25 * 1024 * 1024
LIGNES_MAXIMALES = 200_000
COLONNES_MAXIMALES = 100
# Excel keeps at most 32,767 characters in a cell; a CSV may hold anything.
LONGUEUR_CELLULE_MAXIMALE = 32_767
# openpyxl keeps every cell in memory in its normal mode (about 50 times the file's size), which
# also gives the merged cells; bigger files are read in its streaming mode, without them.
TAILLE_LECTURE_COMPLETE = 8 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


class ClasseurIllisible(ValueError):
	"""The file cannot be read as a workbook; the message is a French sentence for the user."""


@dataclass
class Feuille:
	"""One sheet: its rows (lists of raw values, trailing empty cells removed) and merged ranges."""

	nom: str
	lignes: list[list] = field(default_factory=list)
	# (first row, first column, last row, last column), 0-based and inclusive
	fusions: list[tuple[int, int, int, int]] = field(default_factory=list)
	# A sheet that cannot be imported as it is (too wide…): the reason, in French.
	probleme: str | None = None


def lire_classeur(contenu: bytes, nom_fichier: str) -> list[Feuille]:
	"""Every sheet of the file, in order. Raises ClasseurIllisible with a French message."""
	extension = Path(nom_fichier or "").suffix.lower()
	if not contenu:
		raise ClasseurIllisible(f"Le fichier « {nom_fichier} » est vide.")
	if len(contenu) > TAILLE_MAXIMALE:
		raise ClasseurIllisible(
			f"Le fichier « {nom_fichier} » fait {_mo(len(contenu))} : la limite est de "
			f"{_mo(TAILLE_MAXIMALE)}. Enregistrez chaque grande feuille dans un classeur à part, "
			"ou supprimez les colonnes et mises en forme inutiles, puis importez les classeurs un par un."
		)
	if extension not in EXTENSIONS:
		raise ClasseurIllisible(
			f"Le fichier « {nom_fichier} » n'est pas un classeur : formats acceptés .xlsx, .xls, .ods "
			"et .csv."
		)
	if contenu.startswith(_OLE) and _est_chiffre(contenu):
		raise ClasseurIllisible(
			f"Le classeur « {nom_fichier} » est protégé par un mot de passe. Ouvrez-le dans votre "
			"tableur, retirez le mot de passe (Fichier › Informations › Protéger le classeur), "
			"enregistrez-le et importez-le de nouveau."
		)
	try:
		if extension in (".csv", ".txt"):
			feuilles = [_lire_csv(contenu, nom_fichier)]
		elif contenu.startswith(_OLE):
			feuilles = _lire_xls(contenu, nom_fichier)
		elif extension == ".ods":
			feuilles = _lire_ods(contenu, nom_fichier)
		else:
			feuilles = _lire_xlsx(contenu, nom_fichier)
	except ClasseurIllisible:
		raise
	except Exception as error:
		raise ClasseurIllisible(
			f"Le fichier « {nom_fichier} » est abîmé ou n'est pas un vrai classeur {extension} "
			f"({type(error).__name__}). Ouvrez-le dans votre tableur et enregistrez-le de nouveau "
			"au format .xlsx."
		) from error
	for feuille in feuilles:
		_nettoyer(feuille)
	if not any(feuille.lignes for feuille in feuilles):
		raise ClasseurIllisible(f"Le fichier « {nom_fichier} » ne contient aucune donnée.")
	return feuilles


def _mo(octets: int) -> str:
	return f"{octets / 1024 / 1024:.0f} Mo".replace(".", ",")


def _est_chiffre(contenu: bytes) -> bool:
	"""An OLE file holding an encrypted Office document (a password-protected .xlsx or .xls)."""
	try:
		import msoffcrypto

		return bool(msoffcrypto.OfficeFile(io.BytesIO(contenu)).is_encrypted())
	except Exception:
		# Not an Office file msoffcrypto knows: xlrd will say what it is.
		return "EncryptedPackage".encode("utf-16-le") in contenu


# --- .xlsx ---------------------------------------------------------------------------------------


def _lire_xlsx(contenu: bytes, nom_fichier: str) -> list[Feuille]:
	import openpyxl

	if not contenu.startswith(_ZIP) or not zipfile.is_zipfile(io.BytesIO(contenu)):
		raise ClasseurIllisible(
			f"Le fichier « {nom_fichier} » n'est pas un classeur Excel valide (contenu abîmé ou "
			"format différent de son extension). Ouvrez-le dans votre tableur et enregistrez-le de "
			"nouveau au format .xlsx."
		)
	complet = len(contenu) <= TAILLE_LECTURE_COMPLETE
	classeur = openpyxl.load_workbook(
		io.BytesIO(contenu), data_only=True, read_only=not complet, keep_links=False
	)
	feuilles = []
	try:
		for ws in classeur.worksheets:
			feuille = Feuille(nom=ws.title)
			if complet:
				feuille.fusions = [
					(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
					for r in ws.merged_cells.ranges
				]
			for ligne in ws.iter_rows(values_only=True):
				feuille.lignes.append(list(ligne))
				if len(feuille.lignes) > LIGNES_MAXIMALES:
					raise _trop_de_lignes(nom_fichier, ws.title)
			feuilles.append(feuille)
	finally:
		classeur.close()
	return feuilles


def _trop_de_lignes(nom_fichier: str, feuille: str) -> ClasseurIllisible:
	return ClasseurIllisible(
		f"La feuille « {feuille} » du fichier « {nom_fichier} » a plus de {LIGNES_MAXIMALES:,} lignes : "
		"découpez-la en plusieurs classeurs.".replace(",", " ")
	)


# --- .xls ----------------------------------------------------------------------------------------


def _lire_xls(contenu: bytes, nom_fichier: str) -> list[Feuille]:
	import xlrd

	try:
		classeur = xlrd.open_workbook(file_contents=contenu, formatting_info=True, on_demand=True)
	except xlrd.biffh.XLRDError as error:
		if "encrypt" in str(error).lower():
			raise ClasseurIllisible(
				f"Le classeur « {nom_fichier} » est protégé par un mot de passe. Retirez le mot de passe "
				"dans votre tableur, enregistrez-le et importez-le de nouveau."
			) from error
		# Formatting information is missing from some generated files: read the values alone.
		classeur = xlrd.open_workbook(file_contents=contenu, on_demand=True)
	feuilles = []
	for index in range(classeur.nsheets):
		ws = classeur.sheet_by_index(index)
		feuille = Feuille(nom=ws.name)
		feuille.fusions = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in getattr(ws, "merged_cells", [])]
		if ws.nrows > LIGNES_MAXIMALES:
			raise _trop_de_lignes(nom_fichier, ws.name)
		for r in range(ws.nrows):
			feuille.lignes.append([_valeur_xls(ws.cell(r, c), classeur.datemode) for c in range(ws.ncols)])
		feuilles.append(feuille)
		classeur.unload_sheet(index)
	return feuilles


def _valeur_xls(cell, datemode: int):
	import xlrd

	if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
		return None
	if cell.ctype == xlrd.XL_CELL_DATE:
		try:
			valeur = xlrd.xldate_as_datetime(cell.value, datemode)
		except Exception:
			return cell.value
		return valeur.date() if valeur.time() == datetime.time() else valeur
	if cell.ctype == xlrd.XL_CELL_NUMBER:
		return int(cell.value) if float(cell.value).is_integer() else cell.value
	if cell.ctype == xlrd.XL_CELL_BOOLEAN:
		return bool(cell.value)
	if cell.ctype == xlrd.XL_CELL_ERROR:
		return xlrd.error_text_from_code.get(cell.value, "#ERREUR")
	return cell.value


# --- .ods ----------------------------------------------------------------------------------------


def _lire_ods(contenu: bytes, nom_fichier: str) -> list[Feuille]:
	"""OpenDocument spreadsheet, walked with odfpy as pandas' ODF reader does."""
	from odf import opendocument
	from odf.namespaces import OFFICENS, TABLENS
	from odf.table import CoveredTableCell, Table, TableCell, TableRow

	document = opendocument.load(io.BytesIO(contenu))
	feuilles = []
	for table in document.spreadsheet.getElementsByType(Table):
		feuille = Feuille(nom=str(table.getAttribute("name") or f"Feuille {len(feuilles) + 1}"))
		for ligne in table.getElementsByType(TableRow):
			repetitions = int(ligne.attributes.get((TABLENS, "number-rows-repeated"), 1) or 1)
			valeurs: list = []
			for cellule in ligne.childNodes:
				if cellule.qname not in (TableCell().qname, CoveredTableCell().qname):
					continue
				n = int(cellule.attributes.get((TABLENS, "number-columns-repeated"), 1) or 1)
				fusion = int(cellule.attributes.get((TABLENS, "number-columns-spanned"), 1) or 1)
				fusion_lignes = int(cellule.attributes.get((TABLENS, "number-rows-spanned"), 1) or 1)
				if fusion > 1 or fusion_lignes > 1:
					r, c = len(feuille.lignes), len(valeurs)
					feuille.fusions.append((r, c, r + fusion_lignes - 1, c + fusion - 1))
				valeur = _valeur_ods(cellule, OFFICENS)
				valeurs.extend([valeur] * min(n, COLONNES_MAXIMALES * 10))
			while valeurs and valeurs[-1] is None:
				valeurs.pop()
			# A trailing repeated empty row stands for the rest of the sheet (a million rows).
			if not valeurs:
				repetitions = min(repetitions, 1)
			for _ in range(repetitions):
				feuille.lignes.append(list(valeurs))
				if len(feuille.lignes) > LIGNES_MAXIMALES:
					raise _trop_de_lignes(nom_fichier, feuille.nom)
		feuilles.append(feuille)
	return feuilles


def _valeur_ods(cellule, officens: str):
	type_valeur = cellule.attributes.get((officens, "value-type"))
	if type_valeur in ("float", "percentage", "currency"):
		nombre = float(cellule.attributes.get((officens, "value")))
		return int(nombre) if nombre.is_integer() else nombre
	if type_valeur == "date":
		texte = str(cellule.attributes.get((officens, "date-value")))
		try:
			valeur = datetime.datetime.fromisoformat(texte)
		except ValueError:
			return texte
		return valeur.date() if len(texte) <= 10 else valeur
	if type_valeur == "boolean":
		return str(cellule.attributes.get((officens, "boolean-value"))).lower() == "true"
	if type_valeur is None and not cellule.childNodes:
		return None
	texte = "\n".join(_texte_ods(p) for p in cellule.childNodes if p.qname[1] == "p")
	return texte or None


def _texte_ods(element) -> str:
	from odf.namespaces import TEXTNS

	morceaux = []
	for noeud in element.childNodes:
		if noeud.nodeType == noeud.TEXT_NODE:
			morceaux.append(str(noeud.data))
		elif noeud.qname == (TEXTNS, "s"):
			morceaux.append(" " * int(noeud.attributes.get((TEXTNS, "c"), 1) or 1))
		elif noeud.qname == (TEXTNS, "tab"):
			morceaux.append("\t")
		else:
			morceaux.append(_texte_ods(noeud))
	return "".join(morceaux)


# --- .csv ----------------------------------------------------------------------------------------

# Encodings a French spreadsheet exports to; charset-normalizer picks among them.
_ENCODAGES_CANDIDATS = ["utf_8", "cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"]


def decoder_texte(contenu: bytes, nom_fichier: str = "") -> tuple[str, str]:
	"""The text of a CSV and the encoding it was in: BOMs first, then strict UTF-8, then detection."""
	for bom, encodage in (
		(b"\xef\xbb\xbf", "utf-8-sig"),
		(b"\xff\xfe", "utf-16"),
		(b"\xfe\xff", "utf-16"),
	):
		if contenu.startswith(bom):
			return contenu.decode(encodage), encodage
	try:
		return contenu.decode("utf-8"), "utf-8"
	except UnicodeDecodeError:
		pass
	from charset_normalizer import from_bytes

	resultat = from_bytes(contenu, cp_isolation=_ENCODAGES_CANDIDATS).best()
	encodage = resultat.encoding if resultat else None
	# Windows-1252 is Latin-1 plus the typographic characters of 0x80-0x9F (€, œ, ’…): a French
	# export that decodes as Latin-1 is read as Windows-1252 when it can be.
	if encodage in (None, "latin_1", "iso8859_15"):
		for candidat in ("cp1252", encodage):
			if candidat:
				try:
					return contenu.decode(candidat), candidat
				except UnicodeDecodeError:
					continue
	if encodage:
		return str(resultat), encodage
	raise ClasseurIllisible(
		f"L'encodage des caractères du fichier « {nom_fichier} » n'a pas pu être reconnu. "
		"Enregistrez-le depuis votre tableur au format « CSV UTF-8 » ou .xlsx."
	)


def _lire_csv(contenu: bytes, nom_fichier: str) -> Feuille:
	texte, _encodage = decoder_texte(contenu, nom_fichier)
	separateur = _separateur(texte)
	csv.field_size_limit(max(csv.field_size_limit(), TAILLE_MAXIMALE))
	lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
	feuille = Feuille(nom=Path(nom_fichier).stem or "CSV")
	try:
		for ligne in lecteur:
			feuille.lignes.append([cellule if cellule.strip() else None for cellule in ligne])
			if len(feuille.lignes) > LIGNES_MAXIMALES:
				raise _trop_de_lignes(nom_fichier, feuille.nom)
	except csv.Error as error:
		raise ClasseurIllisible(
			f"Le fichier CSV « {nom_fichier} » est mal formé à la ligne {lecteur.line_num} ({error}). "
			"Vérifiez les guillemets, ou enregistrez-le au format .xlsx."
		) from error
	return feuille


def _separateur(texte: str) -> str:
	"""Comma, semicolon or tab: the one that splits the first lines into the same number of fields."""
	echantillon = "\n".join(texte.splitlines()[:50])
	try:
		return csv.Sniffer().sniff(echantillon, delimiters=";,\t|").delimiter
	except csv.Error:
		pass
	meilleur, score = ";", -1
	for candidat in (";", ",", "\t", "|"):
		comptes = [
			len(next(csv.reader([ligne], delimiter=candidat))) for ligne in echantillon.splitlines() if ligne
		]
		if not comptes:
			continue
		largeur = max(set(comptes), key=comptes.count)
		if largeur > 1 and comptes.count(largeur) * largeur > score:
			meilleur, score = candidat, comptes.count(largeur) * largeur
	return meilleur


# --- Common --------------------------------------------------------------------------------------

_ESPACES = re.compile(r"[\u00a0\u202f\u2007]")


def _nettoyer(feuille: Feuille) -> None:
	"""Strings stripped (non-breaking spaces too), empty strings as None, trailing empties removed."""
	largeur = 0
	for i, ligne in enumerate(feuille.lignes):
		for j, valeur in enumerate(ligne):
			if isinstance(valeur, str):
				valeur = _ESPACES.sub(" ", valeur).strip()
				ligne[j] = valeur or None
		while ligne and ligne[-1] is None:
			ligne.pop()
		largeur = max(largeur, len(ligne))
		feuille.lignes[i] = ligne
	while feuille.lignes and not feuille.lignes[-1]:
		feuille.lignes.pop()
	if largeur > COLONNES_MAXIMALES:
		feuille.probleme = (
			f"La feuille « {feuille.nom} » a {largeur} colonnes remplies ; au-delà de "
			f"{COLONNES_MAXIMALES}, elle n'est pas importée. Supprimez les colonnes inutiles ou "
			"copiez les colonnes utiles dans une nouvelle feuille."
		)
