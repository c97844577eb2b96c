"""Finding the table in a sheet: the header row below title rows, and the data rows under it.

Pure Python. A legacy sheet often starts with a title (merged across the table), a blank row, then
the header; some have a two-level header (« Visites » merged above « 1 », « 2 », « 3 »). Below the
header, blank rows are skipped and not counted, and so are total rows (« Total », « TOTAL : ») and
repetitions of the header. Data rows are numbered from 1 (the first row under the header), as in
the shared ground-truth file; each keeps its row number in the sheet for messages.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from suivi_social.imports.lecture import Feuille
from suivi_social.utils.identite import cle_recherche

__all__ = ["LigneDonnees", "Tableau", "cle_entete", "cle_entetes", "trouver_tableau"]

# Only the top of a sheet is searched for its header.
LIGNES_EXPLOREES = 30

_TOTAL = re.compile(r"^(sous )?(total|totaux|ensemble|cumul|moyenne|somme)\b")


@dataclass
class LigneDonnees:
	numero: int  # 1 = first data row under the header (blank and total rows not counted)
	ligne_feuille: int  # row number in the sheet as the spreadsheet shows it (1-based)
	valeurs: list


@dataclass
class Tableau:
	feuille: str
	ligne_entete: int  # 1-based row number of the (last) header row in the sheet; 0 if none
	entetes: list[str]
	lignes: list[LigneDonnees] = field(default_factory=list)
	# Rows left out, for the report: (row in the sheet, why)
	ignorees: list[tuple[int, str]] = field(default_factory=list)


def cle_entete(libelle) -> str:
	"""A header's accent-, case- and punctuation-free key ("Né(e) le" → "ne e le")."""
	return cle_recherche(str(libelle)) if libelle is not None else ""


def cle_entetes(entetes: list[str]) -> str:
	"""The key of a sheet's headers, whatever their order, to find the template saved for it."""
	import hashlib

	cles = sorted(c for c in (cle_entete(e) for e in entetes) if c)
	return hashlib.sha1("|".join(cles).encode()).hexdigest()[:20]


def _est_texte(valeur) -> bool:
	return isinstance(valeur, str) and bool(valeur.strip()) and not _ressemble_a_une_donnee(valeur)


def _ressemble_a_une_donnee(texte: str) -> bool:
	"""A date, a number, an amount or a phone typed as text: not a header."""
	t = texte.strip()
	return bool(re.fullmatch(r"[\d\s.,/:+€-]+", t)) and any(c.isdigit() for c in t)


def _score_entete(ligne: list, reconnus) -> float:
	textes = [v for v in ligne if _est_texte(v)]
	if len(textes) < 2:
		return 0
	donnees = sum(
		1
		for v in ligne
		if v is not None and not _est_texte(v) and not (isinstance(v, int | float) and v == int(v) and v < 10)
	)
	courts = sum(1 for v in textes if len(v) <= 40)
	return courts + 3 * sum(1 for v in textes if reconnus(cle_entete(v))) - 2 * donnees


def trouver_tableau(feuille: Feuille, reconnus=lambda cle: False) -> Tableau:
	"""The header row (the best-scoring row among the first ones) and the data rows under it.

	`reconnus(cle)` tells whether a header key is a known synonym (correspondance.cible_de), which
	tells a header from a title or a data row."""
	lignes = feuille.lignes
	meilleur, score = None, 0.0
	for i, ligne in enumerate(lignes[:LIGNES_EXPLOREES]):
		s = _score_entete(ligne, reconnus)
		if s > score:
			meilleur, score = i, s
	if meilleur is None:
		return Tableau(feuille=feuille.nom, ligne_entete=0, entetes=[])
	# A label merged across several columns of the header announces a second header row below
	# (« Visites » above « 1 », « 2 »): that lower row is the header, the merged one its prefix.
	if _sous_entete(feuille, meilleur):
		meilleur += 1
	entetes = _libelles(feuille, meilleur)
	tableau = Tableau(feuille=feuille.nom, ligne_entete=meilleur + 1, entetes=entetes)
	cle_ligne_entete = [cle_entete(e) for e in lignes[meilleur]]
	numero = 0
	for i in range(meilleur + 1, len(lignes)):
		valeurs = list(lignes[i]) + [None] * (len(entetes) - len(lignes[i]))
		if all(v is None for v in valeurs):
			continue
		premier = next(v for v in valeurs if v is not None)
		if isinstance(premier, str) and _TOTAL.match(cle_entete(premier)):
			tableau.ignorees.append((i + 1, "ligne de total"))
			continue
		if [cle_entete(v) for v in lignes[i]] == cle_ligne_entete:
			tableau.ignorees.append((i + 1, "en-tête répété"))
			continue
		numero += 1
		tableau.lignes.append(LigneDonnees(numero=numero, ligne_feuille=i + 1, valeurs=valeurs))
	return tableau


def _largeur(feuille: Feuille, index: int) -> int:
	return max((len(l) for l in feuille.lignes[index : index + 200]), default=0)


def _fusions_horizontales(feuille: Feuille, index: int) -> list[tuple[int, int, int, int]]:
	"""Merged ranges of this row that span some columns, not the whole table (not a title)."""
	largeur = _largeur(feuille, index)
	return [
		(r0, c0, r1, c1)
		for r0, c0, r1, c1 in feuille.fusions
		if r0 == index and r1 == index and c1 > c0 and (c1 - c0 + 1) < largeur
	]


def _sous_entete(feuille: Feuille, index: int) -> bool:
	"""Row index+1 holds sub-labels of the merged labels of row index: filled under the merged
	columns, empty under (at least one of) the others, as a data row would not be."""
	fusions = _fusions_horizontales(feuille, index)
	if not fusions or index + 1 >= len(feuille.lignes):
		return False
	haut, bas = feuille.lignes[index], feuille.lignes[index + 1]
	sous_fusion = {c for _r0, c0, _r1, c1 in fusions for c in range(c0, c1 + 1)}

	def valeur(ligne, c):
		return ligne[c] if c < len(ligne) else None

	remplies = all(valeur(bas, c) is not None for c in sous_fusion)
	vides_ailleurs = any(
		valeur(haut, c) is not None and valeur(bas, c) is None
		for c in range(len(haut))
		if c not in sous_fusion
	)
	return remplies and vides_ailleurs


def _libelles(feuille: Feuille, index: int) -> list[str]:
	"""The header labels; with a two-level header, the merged label above is put in front
	(« Visites » above « 1 » gives « Visites 1 »). Unnamed columns get « Colonne C »."""
	ligne = feuille.lignes[index]
	largeur = max(_largeur(feuille, index), len(ligne))
	au_dessus: dict[int, str] = {}
	if index > 0:
		for r0, c0, _r1, c1 in _fusions_horizontales(feuille, index - 1):
			# A label merged across some (not all) columns of the row above.
			titre = feuille.lignes[r0][c0] if c0 < len(feuille.lignes[r0]) else None
			if titre is not None:
				for c in range(c0, c1 + 1):
					au_dessus[c] = _texte(titre)
	libelles = []
	for c in range(largeur):
		valeur = ligne[c] if c < len(ligne) else None
		texte = _texte(valeur) if valeur is not None else ""
		if c in au_dessus:
			texte = f"{au_dessus[c]} {texte}".strip()
		elif not texte and index > 0:
			# A header merged down over two rows sits in the row above.
			for r0, c0, r1, _c1 in feuille.fusions:
				if r0 < index <= r1 and c0 == c and c < len(feuille.lignes[r0]):
					texte = _texte(feuille.lignes[r0][c])
		libelles.append(texte or f"Colonne {_lettre(c)}")
	return libelles


def _texte(valeur) -> str:
	if isinstance(valeur, datetime.datetime | datetime.date):
		return valeur.strftime("%d/%m/%Y")
	if isinstance(valeur, float) and valeur.is_integer():
		valeur = int(valeur)
	return " ".join(str(valeur).split())


def _lettre(index: int) -> str:
	lettres = ""
	index += 1
	while index:
		index, reste = divmod(index - 1, 26)
		lettres = chr(65 + reste) + lettres
	return lettres
