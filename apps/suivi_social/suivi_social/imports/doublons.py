"""Is it the same person? The matching used by the import, the create-time duplicate check and
« Fusionner deux dossiers ».

The core is pure Python: an :class:`Identite` (names, birth date, commune, phone) and
:func:`comparer`, which says whether two identities are certainly, probably or not the same
person, and why, in French. It tolerates accents, case, hyphen or space, compound first names
(« Marie » / « Marie-Claire »), a birth name next to a usage name, a birth date missing on one
side, day and month inverted, and one wrong letter. Certain matches are merged automatically;
probable ones go to a person for review.

:func:`regrouper` clusters the rows of a workbook; :func:`chercher_dossiers` finds the existing
files of a structure that match identities, through the indexed columns `date_naissance` and
`nom_recherche` of tabBeneficiaire (never a scan of the table).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from suivi_social.imports.normalisation import cle_commune
from suivi_social.utils.identite import chiffres, cle_recherche

__all__ = [
	"CERTAIN",
	"PROBABLE",
	"Identite",
	"Verdict",
	"chercher_dossiers",
	"comparer",
	"identite_du_dossier",
	"regrouper",
	"une_faute",
]

CERTAIN = "certain"
PROBABLE = "probable"

# Name relations, strongest first.
EXACT, COMPOSE, FAUTE = 3, 2, 1
# Birth date relations.
EGALE, INVERSEE, PROCHE, ABSENTE, DIFFERENTE = "egale", "inversee", "proche", "absente", "differente"


@dataclass
class Identite:
	nom: str = ""
	prenoms: str = ""
	nom_naissance: str = ""
	date_naissance: datetime.date | None = None
	# The year of an unreadable birth date (« né en 1925 »), to rule out a person born another year.
	annee: int | None = None
	commune: str = ""
	telephone: str = ""
	adresse: str = ""
	# « NOM Prénom » split on a guess (same case everywhere): compared as a whole too.
	nom_incertain: bool = False
	# Whatever the caller needs back (a row, a file's name).
	ref: object = None
	_cles: dict = field(default_factory=dict, repr=False, compare=False)

	@property
	def familles(self) -> tuple[str, ...]:
		if "familles" not in self._cles:
			self._cles["familles"] = tuple(
				dict.fromkeys(c for c in (cle_recherche(self.nom), cle_recherche(self.nom_naissance)) if c)
			)
		return self._cles["familles"]

	@property
	def prenom(self) -> str:
		if "prenom" not in self._cles:
			self._cles["prenom"] = cle_recherche(self.prenoms)
		return self._cles["prenom"]

	@property
	def complet(self) -> str:
		if "complet" not in self._cles:
			self._cles["complet"] = " ".join(c for c in (cle_recherche(self.nom), self.prenom) if c)
		return self._cles["complet"]

	@property
	def cle_commune(self) -> str:
		if "commune" not in self._cles:
			self._cles["commune"] = cle_commune(self.commune) if self.commune else ""
		return self._cles["commune"]

	@property
	def cle_telephone(self) -> str:
		if "tel" not in self._cles:
			self._cles["tel"] = _cle_telephone(self.telephone) if self.telephone else ""
		return self._cles["tel"]

	@property
	def cle_adresse(self) -> str:
		if "adresse" not in self._cles:
			self._cles["adresse"] = cle_recherche(self.adresse) if self.adresse else ""
		return self._cles["adresse"]

	def cles_de_nom(self) -> set[str]:
		"""Keys under which this identity is looked for: family name + first first name, and the
		whole name (for a « NOM Prénom » split on a guess)."""
		premier = self.prenom.split()[0] if self.prenom else ""
		cles = {f"{f}|{premier}" for f in self.familles}
		cles.add(self.complet.replace(" ", ""))
		return cles


@functools.lru_cache(maxsize=100_000)
def _cle_telephone(telephone: str) -> str:
	"""The last nine digits: « 06 12 34 56 78 », « +33 6 12 34 56 78 » and 612345678 (the zero
	eaten by the spreadsheet) compare equal, without parsing the number (matching only compares)."""
	numero = chiffres(str(telephone))
	return numero[-9:] if len(numero) >= 9 else ""


@dataclass
class Verdict:
	niveau: str | None  # CERTAIN, PROBABLE or None (different people)
	raison: str = ""
	# The match rests on a missing birth date: certain only if the name designates one person.
	sans_date: bool = False


# --- Comparing names -----------------------------------------------------------------------------


def une_faute(a: str, b: str) -> bool:
	"""One letter wrong, missing, added, or two neighbours swapped (Damerau distance 1)."""
	if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4:
		return False
	if len(a) == len(b):
		ecarts = [i for i in range(len(a)) if a[i] != b[i]]
		if len(ecarts) == 1:
			return True
		return (
			len(ecarts) == 2
			and ecarts[1] == ecarts[0] + 1
			and a[ecarts[0]] == b[ecarts[1]]
			and a[ecarts[1]] == b[ecarts[0]]
		)
	court, long = (a, b) if len(a) < len(b) else (b, a)
	i = 0
	while i < len(court) and court[i] == long[i]:
		i += 1
	return court[i:] == long[i + 1 :]


def _relation(a: str, b: str, prenoms: bool = False) -> int:
	if not a or not b:
		return 0
	if a == b or a.replace(" ", "") == b.replace(" ", ""):
		return EXACT
	ja, jb = a.split(), b.split()
	# Compound: « schmitt » / « schmitt levy », « marie » / « marie claire », « jean pierre » / « pierre jean »
	if set(ja) <= set(jb) or set(jb) <= set(ja):
		if not prenoms or ja[0] == jb[0] or sorted(ja) == sorted(jb):
			return COMPOSE
	# A first name cut short: « nath » / « nathalie »
	court, long = sorted((a, b), key=len)
	if (
		prenoms
		and len(ja) == len(jb) == 1
		and len(court) >= 3
		and len(long) - len(court) >= 2
		and long.startswith(court)
	):
		return COMPOSE
	if une_faute(a.replace(" ", ""), b.replace(" ", "")):
		return FAUTE
	return 0


def comparer_noms(a: Identite, b: Identite) -> tuple[int, str]:
	"""The relation between the names of two identities and its French explanation."""
	if a.complet and a.complet == b.complet:
		return EXACT, ""
	if a.nom_incertain or b.nom_incertain:
		# « NOM Prénom » split on a guess: the whole names are compared.
		entier_a, entier_b = a.complet.replace(" ", ""), b.complet.replace(" ", "")
		if entier_a == entier_b:
			return EXACT, ""
		if une_faute(entier_a, entier_b):
			return FAUTE, "une lettre diffère dans le nom ou le prénom"
	meilleur, raison = 0, ""
	for fa in a.familles:
		for fb in b.familles:
			rel_nom = _relation(fa, fb)
			if not rel_nom:
				continue
			rel_prenom = _relation(a.prenom, b.prenom, prenoms=True)
			if not rel_prenom:
				continue
			if rel_nom == FAUTE and rel_prenom == FAUTE:
				continue
			niveau = min(rel_nom, rel_prenom)
			if niveau == EXACT and (fa != cle_recherche(a.nom) or fb != cle_recherche(b.nom)):
				niveau, explication = COMPOSE, "nom de naissance et nom d'usage"
			elif rel_nom == FAUTE:
				explication = "une lettre diffère dans le nom"
			elif rel_prenom == FAUTE:
				explication = "une lettre diffère dans le prénom"
			elif rel_nom == COMPOSE:
				explication = "nom composé écrit en partie"
			elif rel_prenom == COMPOSE:
				explication = "prénom composé ou abrégé"
			else:
				explication = ""
			if niveau > meilleur:
				meilleur, raison = niveau, explication
	# First and family names swapped (« Marie DUPONT » typed in the wrong columns).
	if not meilleur and a.complet and sorted(a.complet.split()) == sorted(b.complet.split()):
		return COMPOSE, "nom et prénom inversés"
	return meilleur, raison


def comparer_dates(a: Identite, b: Identite) -> str:
	da, db = a.date_naissance, b.date_naissance
	if da and db:
		if da == db:
			return EGALE
		if da.year == db.year and da.day == db.month and da.month == db.day:
			return INVERSEE
		if _proches(da, db):
			return PROCHE
		return DIFFERENTE
	annees = {x for x in (da.year if da else a.annee, db.year if db else b.annee) if x}
	if len(annees) == 2 and (a.annee or b.annee):
		return DIFFERENTE
	return ABSENTE


def _proches(da: datetime.date, db: datetime.date) -> bool:
	"""One digit typed wrong, or the century of a two-digit year."""
	sa, sb = da.strftime("%d%m%Y"), db.strftime("%d%m%Y")
	if sum(x != y for x, y in zip(sa, sb, strict=True)) == 1:
		return True
	return (da.month, da.day) == (db.month, db.day) and abs(da.year - db.year) == 100


def _corroboration(a: Identite, b: Identite) -> str:
	if a.cle_telephone and a.cle_telephone == b.cle_telephone:
		return "même téléphone"
	if a.cle_adresse and a.cle_adresse == b.cle_adresse:
		return "même adresse"
	if a.cle_commune and a.cle_commune == b.cle_commune:
		return "même commune"
	return ""


def _contradiction(a: Identite, b: Identite) -> bool:
	return bool(a.cle_commune and b.cle_commune and a.cle_commune != b.cle_commune) and not (
		a.cle_telephone and a.cle_telephone == b.cle_telephone
	)


def comparer(a: Identite, b: Identite) -> Verdict:
	"""Certainly, probably or not the same person, with the reason in French."""
	noms, pourquoi = comparer_noms(a, b)
	dates = comparer_dates(a, b)
	appui = _corroboration(a, b)
	precision = f" ({pourquoi})" if pourquoi else ""
	if dates == EGALE:
		if noms == EXACT:
			return Verdict(CERTAIN, "même nom, prénom et date de naissance")
		if noms == COMPOSE:
			return Verdict(CERTAIN, f"même date de naissance, noms concordants{precision}")
		if noms == FAUTE:
			if appui:
				return Verdict(CERTAIN, f"même date de naissance et {appui}{precision}")
			return Verdict(PROBABLE, f"même date de naissance{precision}")
		if appui == "même téléphone" and a.prenom and a.prenom == b.prenom:
			return Verdict(PROBABLE, "même prénom, date de naissance et téléphone, mais nom différent")
		return Verdict(None)
	if dates == INVERSEE:
		if noms == EXACT:
			return Verdict(CERTAIN, "même nom et prénom, jour et mois de naissance inversés")
		if noms:
			return Verdict(PROBABLE, f"jour et mois de naissance inversés{precision}")
		return Verdict(None)
	if dates == PROCHE:
		if noms >= COMPOSE:
			return Verdict(PROBABLE, f"dates de naissance à un chiffre près{precision}")
		return Verdict(None)
	if dates == ABSENTE:
		if noms == EXACT:
			if _contradiction(a, b):
				return Verdict(
					PROBABLE, "même nom et prénom, date de naissance absente, communes différentes"
				)
			if appui:
				return Verdict(CERTAIN, f"même nom et prénom et {appui}, date de naissance absente")
			return Verdict(CERTAIN, "même nom et prénom, date de naissance absente", sans_date=True)
		if noms == COMPOSE and appui:
			return Verdict(PROBABLE, f"date de naissance absente, {appui}{precision}")
		if noms == FAUTE and appui == "même téléphone":
			return Verdict(PROBABLE, f"date de naissance absente, {appui}{precision}")
		return Verdict(None)
	# Different birth dates: homonyms, unless the phone says it is a typing error.
	if noms == EXACT and appui == "même téléphone":
		return Verdict(PROBABLE, "même nom, prénom et téléphone, mais dates de naissance différentes")
	return Verdict(None)


# --- Clustering the rows of a workbook -----------------------------------------------------------


class _Union:
	"""Union-find over identities, with pairs a person declared different (never united, even
	through other links)."""

	def __init__(self, n: int, distinctes: list[tuple[int, int]] = ()):
		self.parent = list(range(n))
		self.distinctes = list(distinctes)

	def trouver(self, i: int) -> int:
		while self.parent[i] != i:
			self.parent[i] = self.parent[self.parent[i]]
			i = self.parent[i]
		return i

	def separees(self, i: int, j: int) -> bool:
		"""The persons of i and j were declared different (by any of their rows)."""
		ri, rj = self.trouver(i), self.trouver(j)
		return any({self.trouver(a), self.trouver(b)} == {ri, rj} for a, b in self.distinctes)

	def unir(self, i: int, j: int) -> bool:
		ri, rj = self.trouver(i), self.trouver(j)
		if ri == rj:
			return True
		if self.distinctes and self.separees(i, j):
			return False
		self.parent[max(ri, rj)] = min(ri, rj)
		return True


@dataclass
class Regroupement:
	groupes: list[list[int]]  # indexes of identities, one list per person
	# Certain links, for the report: index → (other index, reason)
	liens: dict[int, tuple[int, str]]
	# Pairs a person should look at: (index, other index, reason)
	a_verifier: list[tuple[int, int, str]]


def _paires_candidates(identites: list[Identite]) -> set[tuple[int, int]]:
	"""Pairs worth comparing: same or inverted birth date, or same name key (blocking)."""
	blocs: dict[str, list[int]] = {}
	for i, ident in enumerate(identites):
		d = ident.date_naissance
		if d:
			blocs.setdefault(f"d{d.isoformat()}", []).append(i)
			if d.day <= 12 and d.day != d.month:
				blocs.setdefault(f"d{datetime.date(d.year, d.day, d.month).isoformat()}", []).append(i)
		for cle in ident.cles_de_nom():
			blocs.setdefault(f"n{cle}", []).append(i)
	paires = set()
	for membres in blocs.values():
		if len(membres) > 500:
			# A key shared by hundreds of rows (a date typed as a default): compare by name only.
			continue
		for x in range(len(membres)):
			for y in range(x + 1, len(membres)):
				if membres[x] != membres[y]:
					paires.add((min(membres[x], membres[y]), max(membres[x], membres[y])))
	return paires


def regrouper(
	identites: list[Identite],
	memes: list[tuple[int, int]] = (),
	seules: set[int] = frozenset(),
	distinctes: list[tuple[int, int]] = (),
) -> Regroupement:
	"""Cluster identities into persons: certain links merge; a link through a missing birth date
	merges only when the name leads to one person; probable links are listed for review.

	A person's decisions come first: `distinctes`, pairs declared different persons (their persons
	are never united, whatever links them, and no longer listed for review); `memes`, pairs
	confirmed as one person; `seules`, identities that are a person of their own."""
	union = _Union(len(identites), distinctes)
	liens: dict[int, tuple[int, str]] = {}
	sans_date: list[tuple[int, int, str]] = []
	probables: list[tuple[int, int, str]] = []
	for i, j in sorted(_paires_candidates(identites)):
		if i in seules or j in seules:
			continue
		verdict = comparer(identites[i], identites[j])
		if verdict.niveau == CERTAIN and not verdict.sans_date:
			if union.trouver(i) != union.trouver(j) and union.unir(i, j):
				liens.setdefault(j, (i, verdict.raison))
		elif verdict.niveau == CERTAIN:
			sans_date.append((i, j, verdict.raison))
		elif verdict.niveau == PROBABLE:
			probables.append((i, j, verdict.raison))
	# Confirmations after the certain links: one that contradicts a split (through a row certainly
	# of that person) is not applied.
	for i, j in memes:
		if union.trouver(i) != union.trouver(j) and union.unir(i, j):
			liens.setdefault(max(i, j), (min(i, j), "même personne, confirmé par un agent"))
	# A row without birth date joins the person its name designates, when there is only one and
	# nothing in that person's rows contradicts it (another commune, and not the same phone).
	datees = {union.trouver(i) for i, ident in enumerate(identites) if ident.date_naissance}
	membres: dict[int, list[int]] = {}
	for i in range(len(identites)):
		membres.setdefault(union.trouver(i), []).append(i)

	def contredit(x: int, groupe: int) -> bool:
		autres = [identites[m] for m in membres.get(groupe, ())]
		if any(_corroboration(identites[x], autre) == "même téléphone" for autre in autres):
			return False
		return any(_contradiction(identites[x], autre) for autre in autres)

	candidats: dict[int, list[tuple[int, str]]] = {}
	for i, j, raison in sans_date:
		for x, y in ((i, j), (j, i)):
			if not identites[x].date_naissance:
				candidats.setdefault(x, []).append((y, raison))
	for x, autres in sorted(candidats.items()):
		if union.trouver(x) in datees:
			# Already joined a person with a birth date (same phone, address…).
			continue
		par_groupe = {
			union.trouver(y): (y, raison)
			for y, raison in autres
			if not (union.distinctes and union.separees(x, y))
		}
		dates = {g: v for g, v in par_groupe.items() if g in datees}
		if len(dates) == 1 and contredit(x, next(iter(dates))):
			((y, _raison),) = dates.values()
			probables.append(
				(min(x, y), max(x, y), "même nom et prénom, date de naissance absente, communes différentes")
			)
		elif len(dates) == 1:
			((y, raison),) = dates.values()
			groupe, ancien = next(iter(dates)), union.trouver(x)
			union.unir(x, y)
			racine = union.trouver(x)
			datees.add(racine)
			membres[racine] = membres.pop(groupe, []) + membres.pop(ancien, [])
			liens.setdefault(x, (y, raison))
		elif len(dates) > 1:
			for y, _raison in dates.values():
				probables.append(
					(
						min(x, y),
						max(x, y),
						"même nom et prénom, date de naissance absente, plusieurs personnes possibles",
					)
				)
		else:
			# Only rows without birth date share this name: the same person.
			for y, raison in par_groupe.values():
				if union.trouver(x) != union.trouver(y) and union.unir(x, y):
					liens.setdefault(max(x, y), (min(x, y), raison))
	groupes: dict[int, list[int]] = {}
	for i in range(len(identites)):
		groupes.setdefault(union.trouver(i), []).append(i)
	# Decided pairs are no longer to review: the same person (united) or different (separated).
	a_verifier = [
		(i, j, r)
		for i, j, r in probables
		if union.trouver(i) != union.trouver(j) and not (union.distinctes and union.separees(i, j))
	]
	return Regroupement(groupes=list(groupes.values()), liens=liens, a_verifier=a_verifier)


# --- Existing files of a structure ---------------------------------------------------------------

CHAMPS_DOSSIER = [
	"name",
	"nom_usage",
	"nom_naissance",
	"prenoms",
	"date_naissance",
	"commune",
	"telephone",
	"telephone_2",
	"adresse",
	"nom_complet",
]


def identite_du_dossier(dossier) -> Identite:
	return Identite(
		nom=dossier.get("nom_usage") or "",
		nom_naissance=dossier.get("nom_naissance") or "",
		prenoms=dossier.get("prenoms") or "",
		date_naissance=_date(dossier.get("date_naissance")),
		commune=dossier.get("commune") or "",
		telephone=dossier.get("telephone") or dossier.get("telephone_2") or "",
		adresse=dossier.get("adresse") or "",
		ref=dossier,
	)


def _date(valeur) -> datetime.date | None:
	if not valeur:
		return None
	if isinstance(valeur, datetime.datetime):
		return valeur.date()
	if isinstance(valeur, datetime.date):
		return valeur
	return datetime.date.fromisoformat(str(valeur)[:10])


def chercher_dossiers(structure: str, identites: list[Identite], paquet: int = 1000) -> list[dict]:
	"""The files of the structure that may be any of these identities, read through the indexes
	of tabBeneficiaire, never a scan: the birth dates (and their day/month inversions) through
	`date_naissance`, the whole names through `nom_recherche` (the key the file stores: usage name,
	birth name, first names). Returns rows with CHAMPS_DOSSIER.

	What the names find is what a missing birth date needs: the same whole name. A file written
	with another spelling is found through its birth date, or not at all when neither side has one."""
	import frappe

	dates: set[str] = set()
	noms: set[str] = set()
	for ident in identites:
		d = ident.date_naissance
		if d:
			dates.add(d.isoformat())
			if d.day <= 12 and d.day != d.month:
				dates.add(datetime.date(d.year, d.day, d.month).isoformat())
		for cle in (
			ident.complet,
			cle_recherche(ident.nom, ident.nom_naissance, ident.prenoms),
			cle_recherche(ident.nom_naissance, ident.prenoms) if ident.nom_naissance else "",
		):
			if cle:
				noms.add(cle[:140])
	trouves: dict[str, dict] = {}
	champs = ", ".join(f"`{c}`" for c in CHAMPS_DOSSIER)
	for colonne, valeurs in (("date_naissance", sorted(dates)), ("nom_recherche", sorted(noms))):
		for k in range(0, len(valeurs), paquet):
			for row in frappe.db.sql(
				f"select {champs} from `tabBeneficiaire` where `structure` = %s and `{colonne}` in %s",
				(structure, valeurs[k : k + paquet]),
				as_dict=True,
			):
				trouves[row.name] = row
	return list(trouves.values())


def dossiers_correspondants(
	structure: str, identite: Identite, exclure: str | None = None
) -> list[tuple[dict, Verdict]]:
	"""Existing files of the structure that are (certainly or probably) this person, best first."""
	resultats = []
	for dossier in chercher_dossiers(structure, [identite]):
		if exclure and dossier.name == exclure:
			continue
		verdict = comparer(identite, identite_du_dossier(dossier))
		if verdict.niveau:
			resultats.append((dossier, verdict))
	resultats.sort(key=lambda r: (r[1].niveau != CERTAIN, r[1].sans_date, r[0].name))
	return resultats
