"""Finding a person among the files of the user's structures: the reception desk's search box and
every Bénéficiaire Link field of the desk (hooks.py standard_queries).

What a query may hold, in any order and combined (every criterion must hold):
- name fragments, with or without accents, case, hyphens, birth or usage name, by prefix as one
  types; one typo (a wrong, missing, added or swapped letter) in a word of five letters or more;
- a birth date: 12/03/1952, 12-03-1952, 12.03.1952, 12 03 1952, 12031952, 12/03/52, 120352 (a
  two-digit year is the last one that does not put the date in the future);
- a phone number in any French form: 06 12 34 56 78, 0612345678, +33 6 12 34 56 78,
  0033 6 12 34 56 78, +33 (0)6…, or its beginning (« 06 12 34 »), or a foreign one (+32…);
- a file number: BANCA-00042, banca42, or the number alone (42) in the user's structures.

The structure criterion comes first: every lookup of the index is limited to the user's
structures (permissions/structure.structures_of), and the files found are read through
frappe.get_list, which applies every permission rule of the DocType. Archived and deceased files
are left out unless asked for, and marked. Ranking: exact matches (no typo) first, then by score
(an exact word before a prefix before a typo; date, phone and file number count as exact), then
active files before archived ones, then by name.

The index and why it is built that way: accueil/jetons.py.
"""

import datetime
import re
from dataclasses import dataclass, field

import frappe
from frappe import _, _lt
from frappe.utils import cint, formatdate, getdate
from frappe.utils.data import make_filter_tuple

from suivi_social.accueil import jetons as index
from suivi_social.imports.doublons import une_faute
from suivi_social.permissions.structure import structures_of
from suivi_social.utils.identite import cle_recherche

__all__ = ["RechercheInvalide", "analyser", "rechercher", "search_link_query"]

LONGUEUR_MINIMUM = 2
LONGUEUR_MAXIMUM = 200
LIMITE_MAXIMUM = 100
STATUTS_ARCHIVES = ("Archivé", "Décédé")

# Index rows read for one unselective word (« ma »): the first ones in alphabetical order, so that
# two letters never read a whole structure.
PLAFOND_JETON = 5000
# Candidates beyond which the next word is looked for in the structure's index (one range read)
# rather than among the candidates' own tokens (one index seek per candidate): measured on 60,000
# files, 1,200 seeks cost 2.5 times the range read of a common name.
PLAFOND_PARMI = 300
# Files read (through frappe.get_list) per round, best candidates first, and rounds at most: a
# common name has hundreds of exact matches, of which only the page is shown.
PAQUET_MINIMUM = 40
TOURS = 4

POINTS_EXACT, POINTS_PREFIXE, POINTS_FAUTE = 10, 6, 4
POINTS_DATE, POINTS_TELEPHONE, POINTS_DOSSIER = 10, 10, 20

# What matched, shown with each result: codes while searching, labels translated for the page.
NOM, NOM_A_UNE_LETTRE_PRES = "nom", "faute"
DATE_DE_NAISSANCE, TELEPHONE, NUMERO_DE_DOSSIER = "date", "telephone", "dossier"
MOTIFS = {
	NOM: _lt("nom"),
	NOM_A_UNE_LETTRE_PRES: _lt("nom, à une lettre près"),
	DATE_DE_NAISSANCE: _lt("date de naissance"),
	TELEPHONE: _lt("téléphone"),
	NUMERO_DE_DOSSIER: _lt("numéro de dossier"),
}

CHAMPS = [
	"name",
	"nom_usage",
	"nom_naissance",
	"prenoms",
	"nom_complet",
	"date_naissance",
	"statut",
	"commune",
]


class RechercheInvalide(frappe.ValidationError):
	"""An empty, one-character or over-long query: nothing is read."""


# --- Reading the query ----------------------------------------------------------------------------

# A whole French number (10 digits, +33 or 0033 with or without « (0) »), separators anywhere.
_TELEPHONE_FR = re.compile(
	r"(?<![\d+])(?:(?:\+|00)\s*33\s*(?:\(\s*0\s*\)\s*)?|0)[1-9](?:[\s.\-]*\d){8}(?!\d)"
)
_TELEPHONE_ETRANGER = re.compile(r"(?<![\d+])(?:\+|00)\s*[1-9](?:[\s.\-]*\d){6,14}(?!\d)")
_DATE_SEPAREE = re.compile(
	r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.\-])"
	r"|(?<![\d/.\-])(\d{1,2}) (\d{1,2}) (\d{4})(?!\d)"
)
_DATE_COMPACTE = re.compile(r"(?<![\d+])(\d{8}|\d{6})(?!\d)")
# The beginning of a French number being typed (4 to 9 digits).
_DEBUT_TELEPHONE = re.compile(r"(?<![\d+])0[1-9](?:[\s.\-]*\d){2,7}(?!\d)")
_MOT_NUMERO = re.compile(r"(?<![\w\-])[A-Za-z0-9]{2,}(?:-\d{1,9})?(?![\w\-])")
_CHIFFRES = re.compile(r"(?<![\w\-])\d+(?![\w\-])")


@dataclass
class Critere:
	"""One criterion of the query: a file must match at least one of its alternatives."""

	texte: str
	# (kind, value): ("date", date), ("telephone", digits), ("debut_telephone", digits),
	# ("dossier", name) — none: nothing can match (an impossible date).
	alternatives: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Requete:
	criteres: list[Critere] = field(default_factory=list)
	mots: list[str] = field(default_factory=list)

	@property
	def vide(self) -> bool:
		return not self.criteres and not any(len(m) >= LONGUEUR_MINIMUM for m in self.mots)


def analyser(
	texte: str, prefixes: list[str] | None = None, aujourd_hui: datetime.date | None = None
) -> Requete:
	"""Split a query into its criteria (pure: `prefixes` are the file-number prefixes of the user's
	structures)."""
	aujourd_hui = aujourd_hui or getdate()
	prefixes = [p.upper() for p in prefixes or []]
	requete = Requete()
	reste = texte

	def retirer(match: re.Match) -> str:
		return " " * len(match.group(0))

	def numero(match: re.Match) -> str:
		# « BANCA-00042 », « banca-42 », « banca42 »: a prefix of the user's structures, then
		# digits. Read first, so that its digits are not taken for a date or a phone.
		mot = match.group(0).upper()
		for prefixe in prefixes:
			chiffres = mot[len(prefixe) :].removeprefix("-")
			if mot.startswith(prefixe) and chiffres.isdigit() and len(chiffres) <= 9:
				nom = f"{prefixe}-{int(chiffres):05d}"
				requete.criteres.append(Critere(match.group(0), [("dossier", nom)]))
				return retirer(match)
		return match.group(0)

	reste = _MOT_NUMERO.sub(numero, reste)

	def telephone(match: re.Match) -> str:
		requete.criteres.append(Critere(match.group(0), [("telephone", _chiffres_telephone(match.group(0)))]))
		return retirer(match)

	reste = _TELEPHONE_FR.sub(telephone, reste)
	reste = _TELEPHONE_ETRANGER.sub(telephone, reste)

	def date_separee(match: re.Match) -> str:
		if match.group(1):
			jour, mois, annee = match.group(1), match.group(3), match.group(4)
		else:
			jour, mois, annee = match.group(5), match.group(6), match.group(7)
		date = _date(jour, mois, annee, aujourd_hui)
		requete.criteres.append(Critere(match.group(0), [("date", date)] if date else []))
		return retirer(match)

	reste = _DATE_SEPAREE.sub(date_separee, reste)

	def date_compacte(match: re.Match) -> str:
		chiffres = match.group(1)
		date = _date(chiffres[:2], chiffres[2:4], chiffres[4:], aujourd_hui)
		if not date and not chiffres.startswith("0"):
			return match.group(0)
		alternatives = [("date", date)] if date else []
		if chiffres.startswith("0") and chiffres[1] != "0":
			# 061234 is a date (06/12/1934) or the beginning of a number being typed.
			alternatives.append(("debut_telephone", chiffres))
		requete.criteres.append(Critere(chiffres, alternatives))
		return retirer(match)

	reste = _DATE_COMPACTE.sub(date_compacte, reste)

	def debut_telephone(match: re.Match) -> str:
		chiffres = re.sub(r"\D", "", match.group(0))
		requete.criteres.append(Critere(match.group(0), [("debut_telephone", chiffres)]))
		return retirer(match)

	reste = _DEBUT_TELEPHONE.sub(debut_telephone, reste)

	def chiffres_seuls(match: re.Match) -> str:
		chiffres = match.group(0)
		if len(chiffres) <= 5:
			# A file number without its prefix: in each of the user's structures.
			noms = [f"{p}-{int(chiffres):05d}" for p in prefixes]
			requete.criteres.append(Critere(chiffres, [("dossier", n) for n in noms]))
		elif len(chiffres) == 9 and chiffres[0] != "0":
			# A French number whose leading zero was left out (as spreadsheets do).
			requete.criteres.append(Critere(chiffres, [("telephone", "0" + chiffres)]))
		else:
			requete.criteres.append(Critere(chiffres, []))
		return retirer(match)

	reste = _CHIFFRES.sub(chiffres_seuls, reste)
	requete.mots = list(dict.fromkeys(cle_recherche(reste).split()))
	return requete


def _date(jour: str, mois: str, annee: str, aujourd_hui: datetime.date) -> datetime.date | None:
	"""A birth date from its typed parts, or None when it is not one. A two-digit year is the last
	one that does not put the date in the future (12/03/52 → 1952, 12/03/15 → 2015)."""
	try:
		if len(annee) == 4:
			date = datetime.date(int(annee), int(mois), int(jour))
			return date if 1850 <= date.year and date <= aujourd_hui else None
		date = datetime.date(2000 + int(annee), int(mois), int(jour))
	except ValueError:
		try:
			date = datetime.date(1900 + int(annee), int(mois), int(jour))
		except ValueError:
			return None
	if date > aujourd_hui:
		try:
			date = date.replace(year=date.year - 100)
		except ValueError:
			return None
	return date


def _chiffres_telephone(texte: str) -> str:
	"""The digits under which the index holds this number (jetons.chiffres_de_telephone), also for a
	number phonenumbers deems invalid (then: its French national digits when it looks French)."""
	if chiffres := index.chiffres_de_telephone(texte):
		return chiffres
	chiffres = re.sub(r"\D", "", texte)
	if chiffres.startswith("0033"):
		chiffres = chiffres[4:]
	elif texte.lstrip().startswith("+33"):
		chiffres = chiffres[2:]
	elif texte.lstrip().startswith(("+", "00")):
		return chiffres.removeprefix("00")
	chiffres = chiffres.lstrip("0")
	return "0" + chiffres if len(chiffres) == 9 else chiffres


# --- Searching ------------------------------------------------------------------------------------


@dataclass
class Correspondance:
	points: int = 0
	faute: bool = False
	motifs: list[str] = field(default_factory=list)

	def ajouter(self, points: int, motif: str, faute: bool = False) -> None:
		self.points += points
		self.faute = self.faute or faute
		if motif not in self.motifs:
			self.motifs.append(motif)


def verifier(texte) -> str:
	"""The query, stripped; RechercheInvalide with a French message when it cannot be searched."""
	texte = (texte if isinstance(texte, str) else "").strip()
	if len(texte) > LONGUEUR_MAXIMUM:
		frappe.throw(
			_("La recherche est limitée à {0} caractères : tapez un nom, une date ou un numéro.").format(
				LONGUEUR_MAXIMUM
			),
			RechercheInvalide,
			title=_("Recherche trop longue"),
		)
	if len(texte) < LONGUEUR_MINIMUM:
		frappe.throw(
			_(
				"Tapez au moins deux caractères : un nom, une date de naissance, un numéro de téléphone "
				"ou un numéro de dossier."
			),
			RechercheInvalide,
			title=_("Recherche"),
		)
	return texte


def rechercher(texte: str, *, archives: bool = False, limite: int = 20) -> list[frappe._dict]:
	"""Ranked files of the current user's structures that match `texte` (see the module's doc).

	Each result: name, score (higher is better), exacte (no typo needed), archive (archived or
	deceased), motifs (French labels of what matched), nom_usage, nom_naissance, prenoms,
	nom_complet, date_naissance, statut, commune. Raises RechercheInvalide for an empty,
	one-character or over-200-character query, frappe.PermissionError for a user who may not read
	files."""
	return chercher(verifier(texte), archives=archives, limite=limite)


def chercher(texte: str, archives: bool = False, limite: int = 20, filtres=None) -> list[frappe._dict]:
	"""rechercher, with the link field's own filters (`filtres`, as frappe.get_list takes them)."""
	ptype = "select" if frappe.only_has_select_perm("Beneficiaire") else "read"
	if not frappe.has_permission("Beneficiaire", ptype):
		frappe.throw(_("Vous n'avez pas accès aux dossiers des bénéficiaires."), frappe.PermissionError)
	limite = min(max(cint(limite), 1), LIMITE_MAXIMUM)
	structures = _structures()
	if not structures:
		return []
	prefixes = (
		frappe.get_all("Structure", filters={"name": ("in", structures)}, pluck="prefixe_dossier")
		if re.search(r"\d", texte)
		else []
	)
	requete = analyser(texte, [p for p in prefixes if p])
	if requete.vide:
		verifier("")
	candidats: dict[str, Correspondance] | None = None
	for critere in requete.criteres:
		trouves = _critere(critere, structures, candidats)
		candidats = _croiser(candidats, trouves)
		if not candidats:
			return []
	for mot in sorted(requete.mots, key=len, reverse=True):
		trouves = _mot(mot, structures, candidats)
		candidats = _croiser(candidats, trouves)
		if not candidats:
			return []
	return _dossiers(candidats or {}, archives, limite, filtres)


def _structures() -> list[str]:
	structures = structures_of()
	if structures is None:
		return frappe.get_all("Structure", pluck="name", order_by="name")
	return structures


def _croiser(
	candidats: dict[str, Correspondance] | None, trouves: dict[str, Correspondance]
) -> dict[str, Correspondance]:
	if candidats is None:
		return trouves
	resultat = {}
	for nom, correspondance in candidats.items():
		if autre := trouves.get(nom):
			correspondance.points += autre.points
			correspondance.faute = correspondance.faute or autre.faute
			correspondance.motifs += [m for m in autre.motifs if m not in correspondance.motifs]
			resultat[nom] = correspondance
	return resultat


def _critere(critere: Critere, structures: list[str], parmi: dict | None) -> dict[str, Correspondance]:
	trouves: dict[str, Correspondance] = {}
	for genre, valeur in critere.alternatives:
		if genre == "date":
			noms = frappe.db.sql_list(
				"select `name` from `tabBeneficiaire` where `structure` in %s and `date_naissance` = %s",
				(structures, valeur),
			)
			points, motif = POINTS_DATE, DATE_DE_NAISSANCE
		elif genre == "telephone":
			noms = frappe.db.sql_list(
				f"select `beneficiaire` from `{index.TABLE_JETONS}` where `structure` in %s and `jeton` = %s",
				(structures, valeur),
			)
			points, motif = POINTS_TELEPHONE, TELEPHONE
		elif genre == "debut_telephone":
			noms = frappe.db.sql_list(
				f"select `beneficiaire` from `{index.TABLE_JETONS}` where `structure` in %s and `jeton` like %s "
				f"limit {PLAFOND_JETON}",
				(structures, f"{valeur}%"),
			)
			points, motif = POINTS_PREFIXE, TELEPHONE
		else:
			noms = frappe.db.sql_list(
				"select `name` from `tabBeneficiaire` where `structure` in %s and `name` = %s",
				(structures, valeur),
			)
			points, motif = POINTS_DOSSIER, NUMERO_DE_DOSSIER
		for nom in noms:
			if parmi is not None and nom not in parmi:
				continue
			if nom not in trouves or trouves[nom].points < points:
				trouves[nom] = Correspondance()
				trouves[nom].ajouter(points, motif)
	return trouves


def _mot(
	mot: str, structures: list[str], parmi: dict | None, plafond: int = PLAFOND_PARMI
) -> dict[str, Correspondance]:
	"""The files one of whose tokens is this word, begins with it, or is it with one typo."""
	fautes = _fautes(mot) if len(mot) >= index.LONGUEUR_FAUTE else set()
	lignes: list[tuple[str, str]] = []
	if parmi is not None and len(parmi) <= plafond:
		# Among the candidates' own tokens (index beneficiaire_jeton).
		lignes = frappe.db.sql(
			f"select `beneficiaire`, `jeton` from `{index.TABLE_JETONS}` where `beneficiaire` in %s "
			f"and (`jeton` like %s{' or `jeton` in %s' if fautes else ''})",
			(list(parmi), f"{mot}%", *([sorted(fautes)] if fautes else [])),
		)
	else:
		lignes = list(
			frappe.db.sql(
				f"select `beneficiaire`, `jeton` from `{index.TABLE_JETONS}` where `structure` in %s "
				f"and `jeton` like %s limit {PLAFOND_JETON}",
				(structures, f"{mot}%"),
			)
		)
		if len(lignes) == PLAFOND_JETON and parmi is not None:
			# An unselective word (« le ») after a selective one: among the candidates after all.
			return _mot(mot, structures, parmi, plafond=len(parmi))
		if fautes:
			lignes += frappe.db.sql(
				f"select `beneficiaire`, `jeton` from `{index.TABLE_JETONS}` where `structure` in %s "
				"and `jeton` in %s",
				(structures, sorted(fautes)),
			)
	meilleurs: dict[str, int] = {}
	for beneficiaire, jeton in lignes:
		if parmi is not None and beneficiaire not in parmi:
			continue
		qualite = 3 if jeton == mot else 2 if jeton.startswith(mot) else 1
		if qualite > meilleurs.get(beneficiaire, 0):
			meilleurs[beneficiaire] = qualite
	trouves = {}
	for beneficiaire, qualite in meilleurs.items():
		correspondance = Correspondance()
		if qualite == 1:
			correspondance.ajouter(POINTS_FAUTE, NOM_A_UNE_LETTRE_PRES, faute=True)
		else:
			correspondance.ajouter(POINTS_EXACT if qualite == 3 else POINTS_PREFIXE, NOM)
		trouves[beneficiaire] = correspondance
	return trouves


def _fautes(mot: str) -> set[str]:
	"""Indexed tokens at one typo from this word (deletion neighbourhood, then the Damerau rule)."""
	if not (cles := index.variantes(mot)):
		return set()
	voisins = frappe.db.sql_list(
		f"select distinct `jeton` from `{index.TABLE_VARIANTES}` where `variante` in %s", [sorted(cles)]
	)
	return {j for j in voisins if not j.startswith(mot) and une_faute(mot, j)}


def _dossiers(
	candidats: dict[str, Correspondance], archives: bool, limite: int, filtres
) -> list[frappe._dict]:
	"""The best candidates, read through frappe.get_list (every permission rule), ranked."""
	# Equal matches (the hundreds of files of a common name): the most recent files first (file
	# numbers grow with time), the page then shown in alphabetical order.
	ordre = sorted(candidats, key=lambda n: (candidats[n].faute, -candidats[n].points, -len(n), _inverse(n)))
	conditions = _filtres(filtres)
	if not archives:
		conditions.append(["Beneficiaire", "statut", "not in", STATUTS_ARCHIVES])
	lus: list[frappe._dict] = []
	taille = max(2 * limite, PAQUET_MINIMUM)
	for tour in range(TOURS):
		paquet = ordre[tour * taille : (tour + 1) * taille]
		if not paquet:
			break
		lus += frappe.get_list(
			"Beneficiaire",
			filters=[*conditions, ["Beneficiaire", "name", "in", paquet]],
			fields=CHAMPS,
			limit_page_length=0,
			order_by="",
		)
		if len(lus) >= limite:
			break
	resultats = []
	for dossier in lus:
		correspondance = candidats[dossier.name]
		dossier.update(
			score=correspondance.points,
			exacte=not correspondance.faute,
			archive=dossier.get("statut") in STATUTS_ARCHIVES,
			motifs=[str(MOTIFS[m]) for m in correspondance.motifs],
		)
		resultats.append(dossier)
	resultats.sort(
		key=lambda d: (
			not d.exacte,
			-d.score,
			d.archive,
			cle_recherche(d.get("nom_complet") or ""),
			d.name,
		)
	)
	return resultats[:limite]


def _inverse(texte: str) -> tuple[int, ...]:
	"""A sort key that orders strings of one length in reverse (the last file number first)."""
	return tuple(-ord(c) for c in texte)


def _filtres(filtres) -> list:
	if not filtres:
		return []
	if isinstance(filtres, str):
		filtres = frappe.parse_json(filtres)
	if isinstance(filtres, dict):
		return [make_filter_tuple("Beneficiaire", cle, valeur) for cle, valeur in filtres.items()]
	return [list(f) for f in filtres]


# --- Every Bénéficiaire Link field (hooks.py standard_queries) --------------------------------------


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search_link_query(
	doctype: str,
	txt: str,
	searchfield: str | None = None,
	start: int = 0,
	page_len: int = 10,
	filters=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
):
	"""Frappe's link search for Beneficiaire (frappe.desk.search.search_widget calls it for every
	Link field without a query of its own): the same engine, archived files included but after
	the others and marked, the form's filters applied. Shown: the name as the label, then the file
	number, « né(e) le dd/mm/yyyy », the commune, and the statut when not active. An empty or
	one-character text lists files rather than refusing (recent ones; those whose name begins with
	that letter), and an over-long one finds nothing."""
	txt = (txt or "").strip()
	start, page_len = max(cint(start), 0), min(max(cint(page_len), 1), LIMITE_MAXIMUM)
	if len(txt) > LONGUEUR_MAXIMUM:
		return []
	lignes = None
	if len(txt) >= LONGUEUR_MINIMUM:
		try:
			lignes = chercher(txt, archives=True, limite=start + page_len, filtres=filters)[start:]
		except RechercheInvalide:
			frappe.clear_last_message()
	if lignes is None:
		lignes = _recents(txt, filters, start, page_len)
	if as_dict:
		return [
			frappe._dict(
				name=d.name,
				nom_complet=d.nom_complet,
				date_naissance=_date_francaise(d.date_naissance),
				commune=d.commune,
				statut=d.statut,
			)
			for d in lignes
		]
	return [
		(
			d.name,
			d.nom_complet,
			_("né(e) le {0}").format(_date_francaise(d.date_naissance)) if d.date_naissance else None,
			d.commune,
			d.statut if d.statut and d.statut != "Actif" else None,
		)
		for d in lignes
	]


def _recents(txt: str, filtres, start: int, page_len: int) -> list[frappe._dict]:
	"""Files for a text too short to search: whose name begins with that letter, else the last
	modified (both through an index: (structure, nom_recherche) and `modified`)."""
	conditions = _filtres(filtres)
	cle = cle_recherche(txt).replace(" ", "")
	if cle:
		conditions.append(["Beneficiaire", "nom_recherche", "like", f"{cle}%"])
	return frappe.get_list(
		"Beneficiaire",
		filters=conditions,
		fields=CHAMPS,
		order_by="nom_recherche asc" if cle else "modified desc",
		limit_start=start,
		limit_page_length=page_len,
	)


def _date_francaise(valeur) -> str:
	return formatdate(valeur, "dd/mm/yyyy") if valeur else ""
