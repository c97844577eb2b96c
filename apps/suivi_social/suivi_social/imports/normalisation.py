"""Legacy values to the app's values: dates, amounts, phones, names, communes, decisions…

Pure Python. Each ``lire_*`` function returns the normalised value (None for an empty cell) or
raises :class:`ValeurIllisible` whose message quotes the value and says what is wrong, in French,
without naming the column: the caller prefixes sheet, row and column.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata

from suivi_social.utils.identite import IdentiteInvalide, cle_recherche, normaliser_telephone

__all__ = [
	"AGE_MAXIMUM",
	"ValeurIllisible",
	"annee_seule",
	"cle_commune",
	"est_erreur_formule",
	"forme_commune",
	"forme_nom",
	"forme_prenoms",
	"lire_civilite",
	"lire_date",
	"lire_decision",
	"lire_mode_paiement",
	"lire_montant",
	"lire_situation_familiale",
	"lire_telephone",
	"lire_texte",
	"meilleure_forme",
	"separer_nom_prenom",
]

AGE_MAXIMUM = 120  # as Beneficiaire.AGE_MAXIMUM
# Dates of accompaniments: neither before this year nor more than a few years ahead.
ANNEE_MINIMALE = 1950
ANNEES_A_VENIR = 5

_ERREURS_FORMULE = {"#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NOM?", "#NULL!", "#NUM!", "#VALUE!", "#VALEUR!"}
_ERREURS_FORMULE |= {"#N/D", "#ERREUR", "#SPILL!", "#CALC!", "#GETTING_DATA", "#REF", "#NOMBRE!", "#DIV/0"}


class ValeurIllisible(ValueError):
	"""A cell that cannot be read as what its column holds; the message quotes it, in French."""


def _cite(valeur) -> str:
	texte = valeur.strftime("%d/%m/%Y") if isinstance(valeur, datetime.date) else str(valeur)
	if len(texte) > 60:
		texte = texte[:57] + "…"
	return f"« {texte} »"


def est_erreur_formule(valeur) -> bool:
	return isinstance(valeur, str) and valeur.strip().upper() in _ERREURS_FORMULE


def _refuser_erreur(valeur) -> None:
	if est_erreur_formule(valeur):
		raise ValeurIllisible(f"{_cite(valeur)} est une erreur de formule du tableur")


# --- Dates ---------------------------------------------------------------------------------------

_MOIS = {
	"janvier": 1,
	"janv": 1,
	"jan": 1,
	"fevrier": 2,
	"fevr": 2,
	"fev": 2,
	"mars": 3,
	"avril": 4,
	"avr": 4,
	"mai": 5,
	"juin": 6,
	"juillet": 7,
	"juil": 7,
	"aout": 8,
	"septembre": 9,
	"sept": 9,
	"sep": 9,
	"octobre": 10,
	"oct": 10,
	"novembre": 11,
	"nov": 11,
	"decembre": 12,
	"dec": 12,
}
_JMA = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_JMA_HEURE = re.compile(r"(.+?)\s+\d{1,2}[:h]\d{2}(?::\d{2})?")
_EN_LETTRES = re.compile(r"(?:[a-z]+ )?(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})")
# Excel's serial day 1 is 1900-01-01, with its fictitious 29 February 1900.
_EPOQUE_EXCEL = datetime.date(1899, 12, 30)


def lire_date(valeur, *, naissance: bool = False, aujourd_hui: datetime.date | None = None):
	"""A date from a cell: a real date, an Excel serial number, or text in a French format
	(31/12/2024, 31/12/24, 31.12.2024, 2024-12-31, 1/2/2024, 31 décembre 2024).

	Two-digit years: the century is chosen so that a birth date is never in the future nor older
	than 120 years, preferring an adult's age; other dates fall between 1950 and five years ahead."""
	if valeur is None or valeur == "":
		return None
	aujourd_hui = aujourd_hui or datetime.date.today()
	_refuser_erreur(valeur)
	if isinstance(valeur, datetime.datetime):
		date = valeur.date()
	elif isinstance(valeur, datetime.date):
		date = valeur
	elif isinstance(valeur, bool):
		raise ValeurIllisible(f"{_cite(valeur)} n'est pas une date")
	elif isinstance(valeur, int | float):
		date = _date_serie(valeur)
	else:
		date = _date_texte(str(valeur).strip(), naissance, aujourd_hui)
	if date is None:
		raise ValeurIllisible(f"{_cite(valeur)} n'est pas une date")
	_verifier_plage(valeur, date, naissance, aujourd_hui)
	return date


def _date_serie(nombre: float) -> datetime.date | None:
	# 1 = 1900-01-01 … 73050 = 2099-12-31; a bare year (1985) is not a serial date of 1905.
	if not 1 <= nombre <= 73050 or (float(nombre).is_integer() and 1900 <= nombre <= 2100):
		return None
	return _EPOQUE_EXCEL + datetime.timedelta(days=int(nombre))


def _date_texte(texte: str, naissance: bool, aujourd_hui: datetime.date) -> datetime.date | None:
	if m := _JMA_HEURE.fullmatch(texte):
		texte = m.group(1)
	if m := _ISO.fullmatch(texte):
		return _construire(int(m[1]), int(m[2]), int(m[3]))
	if m := _JMA.fullmatch(texte):
		jour, mois, annee = int(m[1]), int(m[2]), m[3]
		if len(annee) == 4:
			return _construire(int(annee), mois, jour)
		return _siecle(int(annee), mois, jour, naissance, aujourd_hui)
	cle = cle_recherche(texte)
	if m := _EN_LETTRES.fullmatch(cle):
		mois = _MOIS.get(m[2])
		return _construire(int(m[3]), mois, int(m[1])) if mois else None
	if re.fullmatch(r"\d{5}(\.0+)?", texte):
		return _date_serie(float(texte))
	return None


def _construire(annee: int, mois: int, jour: int) -> datetime.date | None:
	try:
		return datetime.date(annee, mois, jour)
	except ValueError:
		return None


def _siecle(
	annee: int, mois: int, jour: int, naissance: bool, aujourd_hui: datetime.date
) -> datetime.date | None:
	dates = [d for d in (_construire(1900 + annee, mois, jour), _construire(2000 + annee, mois, jour)) if d]
	if not dates:
		return None
	if naissance:
		plausibles = [d for d in dates if d <= aujourd_hui and _age(d, aujourd_hui) <= AGE_MAXIMUM]
		adultes = [d for d in plausibles if _age(d, aujourd_hui) >= 18]
		choix = adultes or plausibles
		# Both readings adult (born in 19xx or 20xx, e.g. « 05 »): the one under 120 years.
		return max(choix) if choix else dates[0]
	limite = aujourd_hui.year + ANNEES_A_VENIR
	return max((d for d in dates if d.year <= limite), default=dates[0])


def _age(naissance: datetime.date, aujourd_hui: datetime.date) -> int:
	return (
		aujourd_hui.year
		- naissance.year
		- ((aujourd_hui.month, aujourd_hui.day) < (naissance.month, naissance.day))
	)


def _verifier_plage(valeur, date: datetime.date, naissance: bool, aujourd_hui: datetime.date) -> None:
	if naissance:
		if date > aujourd_hui:
			raise ValeurIllisible(f"{_cite(valeur)} : une date de naissance ne peut pas être dans le futur")
		if _age(date, aujourd_hui) > AGE_MAXIMUM:
			raise ValeurIllisible(
				f"{_cite(valeur)} : une date de naissance ne peut pas remonter à plus de {AGE_MAXIMUM} ans"
			)
	elif not ANNEE_MINIMALE <= date.year <= aujourd_hui.year + ANNEES_A_VENIR:
		raise ValeurIllisible(f"{_cite(valeur)} : l'année {date.year} n'est pas plausible")


def annee_seule(valeur, aujourd_hui: datetime.date | None = None) -> int | None:
	"""The year of an unreadable birth date that still gives one (« né en 1925 », « 31/02/1963 »),
	when that year is plausible for a birth (a future « 2077 » gives none)."""
	if valeur is None or isinstance(valeur, datetime.date | bool):
		return None
	aujourd_hui = aujourd_hui or datetime.date.today()
	m = re.search(r"\b(19\d{2}|20\d{2})\b", str(valeur))
	if not m or not aujourd_hui.year - AGE_MAXIMUM <= int(m[1]) <= aujourd_hui.year:
		return None
	return int(m[1])


# --- Amounts -------------------------------------------------------------------------------------

_MONTANT = re.compile(
	r"[+-]?\d+(?:[ .]\d{3})*(?:[.,]\d{1,2})?|[+-]?\d+(?:[ ,]\d{3})*(?:\.\d{1,2})?|[+-]?\d*[.,]\d+"
)


def lire_montant(valeur) -> float | None:
	"""An amount in euros: 45.5, « 45,50 € », « 45€ », « 1 234,56 », « 1.234,56 EUR »."""
	if valeur is None or valeur == "":
		return None
	_refuser_erreur(valeur)
	if isinstance(valeur, bool):
		raise ValeurIllisible(f"{_cite(valeur)} n'est pas un montant")
	if isinstance(valeur, int | float):
		montant = float(valeur)
	else:
		texte = re.sub(r"(?i)\s*(€|eur(os?)?)\s*$", "", str(valeur).strip())
		texte = re.sub(r"(?i)^(€|eur)\s*", "", texte).replace("\u00a0", " ").strip()
		if not _MONTANT.fullmatch(texte):
			raise ValeurIllisible(f"{_cite(valeur)} n'est pas un montant")
		montant = _nombre(texte)
	if montant < 0:
		raise ValeurIllisible(f"{_cite(valeur)} : un montant ne peut pas être négatif")
	if montant >= 1e9:
		raise ValeurIllisible(f"{_cite(valeur)} n'est pas un montant plausible")
	return round(montant, 2)


def _nombre(texte: str) -> float:
	texte = texte.replace(" ", "")
	if "," in texte and "." in texte:
		# The last separator is the decimal one: 1.234,56 or 1,234.56.
		if texte.rfind(",") > texte.rfind("."):
			texte = texte.replace(".", "").replace(",", ".")
		else:
			texte = texte.replace(",", "")
	elif "," in texte:
		entier, _, decimales = texte.rpartition(",")
		texte = texte.replace(",", "") if len(decimales) == 3 and entier else texte.replace(",", ".")
	elif texte.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", texte):
		texte = texte.replace(".", "")
	return float(texte)


# --- Phones --------------------------------------------------------------------------------------


def lire_telephone(valeur) -> str | None:
	"""A phone number, its leading zero restored when the spreadsheet ate it (612345678)."""
	if valeur is None or valeur == "":
		return None
	_refuser_erreur(valeur)
	if isinstance(valeur, float) and valeur.is_integer():
		valeur = int(valeur)
	normalise = _telephone(str(valeur).strip())
	if normalise is None:
		raise ValeurIllisible(f"{_cite(valeur)} n'est pas un numéro de téléphone valide")
	return normalise


@functools.lru_cache(maxsize=50_000)
def _telephone(texte: str) -> str | None:
	try:
		return normaliser_telephone(texte)
	except IdentiteInvalide:
		return None


# --- Text, names, communes -----------------------------------------------------------------------


def lire_texte(valeur, longueur: int | None = None) -> str | None:
	if valeur is None or valeur == "":
		return None
	_refuser_erreur(valeur)
	if isinstance(valeur, datetime.datetime | datetime.date):
		texte = valeur.strftime("%d/%m/%Y")
	elif isinstance(valeur, float) and valeur.is_integer():
		texte = str(int(valeur))
	else:
		texte = " ".join(str(valeur).split())
	if longueur and len(texte) > longueur:
		raise ValeurIllisible(
			f"{_cite(texte)} est trop long ({len(texte):,} caractères, {longueur} au plus)".replace(",", " ")
		)
	return texte or None


_PARTICULES = {
	"de",
	"du",
	"des",
	"da",
	"dos",
	"das",
	"di",
	"del",
	"della",
	"le",
	"la",
	"van",
	"von",
	"der",
	"ben",
	"el",
	"mac",
	"mc",
	"st",
	"saint",
	"sainte",
}


def _a_des_lettres_minuscules(mot: str) -> bool:
	return any(c.islower() for c in mot)


def _est_majuscule(mot: str) -> bool:
	lettres = [c for c in mot if c.isalpha()]
	return len(lettres) >= 2 and all(c.isupper() for c in lettres)


def separer_nom_prenom(texte: str, prenom_d_abord: bool = False) -> tuple[str, str, bool]:
	"""« NOM Prénom » in one cell → (nom, prénoms, sûr). The family name is the words in capitals
	(« LE GALL Lorraine »; « Marie-Claire DUPONT » when the column is « Prénom Nom »); when the case
	does not tell, the first word (with its particles: « de la Tour Anne ») and `sûr` is False."""
	mots = texte.split()
	if len(mots) < 2:
		return texte.strip(), "", False
	if prenom_d_abord:
		fin = len(mots)
		while fin > 0 and _est_majuscule(mots[fin - 1]):
			fin -= 1
		if 0 < fin < len(mots) and not any(_est_majuscule(m) for m in mots[:fin]):
			return " ".join(mots[fin:]), " ".join(mots[:fin]), True
		return mots[-1], " ".join(mots[:-1]), False
	majuscules = 0
	while majuscules < len(mots) and _est_majuscule(mots[majuscules]):
		majuscules += 1
	if 0 < majuscules < len(mots) and not any(_est_majuscule(m) for m in mots[majuscules:]):
		return " ".join(mots[:majuscules]), " ".join(mots[majuscules:]), True
	debut = 0
	while debut < len(mots) - 2 and cle_recherche(mots[debut]) in _PARTICULES:
		debut += 1
	return " ".join(mots[: debut + 1]), " ".join(mots[debut + 1 :]), False


def forme_nom(texte: str | None) -> str:
	"""A family name as the app writes it: capitals, accents kept (« Lévêque » → « LÉVÊQUE »)."""
	return " ".join((texte or "").split()).upper()


def forme_prenoms(texte: str | None) -> str:
	"""First names with a capital on each part (« jean-PIERRE » → « Jean-Pierre »); a part already
	written with its own capitals (« McKenzie ») stays as typed."""
	texte = " ".join((texte or "").split())

	def partie(m: re.Match) -> str:
		mot = m.group(0)
		return mot.capitalize() if mot.islower() or mot.isupper() else mot

	return re.sub(r"[^\W\d_]+", partie, texte)


def cle_commune(texte: str | None) -> str:
	"""« Étang-sur-Arroux », « ETANG SUR ARROUX » and « Etang sur Arroux » give the same key."""
	cle = cle_recherche(texte)
	return re.sub(r"^(st|ste)\b", lambda m: "saint" if m[1] == "st" else "sainte", cle)


def _accents(texte: str) -> int:
	return sum(1 for c in unicodedata.normalize("NFD", texte) if unicodedata.combining(c))


def meilleure_forme(formes: list[str]) -> str:
	"""Among spellings of the same value, the most informative: accents, hyphens, then mixed case
	(« Étang-sur-Arroux » rather than « ETANG SUR ARROUX »), then the most frequent."""
	formes = [f for f in formes if f]
	if not formes:
		return ""
	return max(
		formes,
		key=lambda f: (
			_accents(f),
			f.count("-") + f.count("'"),
			_a_des_lettres_minuscules(f) and any(c.isupper() for c in f),
			formes.count(f),
		),
	)


def forme_commune(texte: str | None) -> str:
	"""A commune in capitals only is given a usual case: « LA GRANDE-VERRIÈRE » → « La Grande-Verrière »."""
	texte = " ".join((texte or "").split())
	if not texte or _a_des_lettres_minuscules(texte):
		return texte
	mots = re.split(r"([\s\-'’])", texte.lower())
	petits = {
		"sur",
		"sous",
		"en",
		"de",
		"du",
		"des",
		"la",
		"le",
		"les",
		"l",
		"d",
		"aux",
		"au",
		"et",
		"lès",
	}
	resultat = []
	for i, mot in enumerate(mots):
		resultat.append(mot if (i > 0 and mot in petits) else mot[:1].upper() + mot[1:])
	return "".join(resultat)


# --- Choices -------------------------------------------------------------------------------------


def _choix(valeur, table: list[tuple[str, str]], quoi: str) -> str | None:
	if valeur is None or valeur == "":
		return None
	_refuser_erreur(valeur)
	cle = cle_recherche(str(valeur))
	for motif, cible in table:
		if re.search(motif, cle):
			return cible
	raise ValeurIllisible(f"{_cite(valeur)} n'est pas {quoi} reconnu(e)")


# Accompagnement.decision: En attente de justificatifs, En cours d'instruction, Accordée, Accordée
# partiellement, Refusée, Ajournée, Classée sans suite. First match wins.
DECISIONS = [
	(r"\bpartiel|\bpartiellement\b|accord part", "Accordée partiellement"),
	(r"justificatif|pieces? manquant|dossier incomplet|incomplet", "En attente de justificatifs"),
	(r"^(non|ko|refus\w*|rejet\w*|defavorable|negati\w*|pas d accord|irrecevable)\b", "Refusée"),
	(r"\brefus|\brejet|defavorable", "Refusée"),
	(r"ajourn|report|differ", "Ajournée"),
	(r"sans suite|classe|abandon|annul|desist|retir", "Classée sans suite"),
	(r"attente|en cours|instruction|a l etude|a instruire|a traiter|commission", "En cours d'instruction"),
	(
		r"^(ok|oui|o|yes|accord\w*|favorable|valide\w*|accepte\w*|attribu\w*|octroy\w*|verse\w*|paye\w*|positi\w*)\b",
		"Accordée",
	),
]


def lire_decision(valeur) -> str | None:
	"""« ok », « Accord », « Favorable » → Accordée ; « refusé », « Refus », « Défavorable » → Refusée ;
	« Accord partiel » → Accordée partiellement ; « Ajourné » → Ajournée ; « En attente » → En cours
	d'instruction…"""
	return _choix(valeur, DECISIONS, "une décision")


CIVILITES = [
	(r"^(mme|madame|mlle|mademoiselle|mme\w*|f|femme|feminin)$", "Madame"),
	(r"^(m|mr|monsieur|mons|h|homme|masculin)$", "Monsieur"),
]


def lire_civilite(valeur) -> str | None:
	return _choix(valeur, CIVILITES, "une civilité")


SITUATIONS = [
	(r"celibataire|seule?\b", "Célibataire"),
	(r"pacs", "Pacsé(e)"),
	(r"concubin|union libre|vie maritale|en couple|couple", "En concubinage"),
	(r"divorc", "Divorcé(e)"),
	(r"separ", "Séparé(e)"),
	(r"veu[fv]", "Veuf ou veuve"),
	(r"mari", "Marié(e)"),
]


def lire_situation_familiale(valeur) -> str | None:
	return _choix(valeur, SITUATIONS, "une situation familiale")


MODES_PAIEMENT = [
	(r"virement|vir\b", "Virement"),
	(r"cheque service|bon|ticket|carte", "Bon ou chèque service"),
	(r"cheque|chq", "Chèque"),
	(r"creancier|fournisseur|bailleur|direct|tiers", "Paiement direct au créancier"),
	(r"espece|liquide", "Espèces"),
]


def lire_mode_paiement(valeur) -> str | None:
	return _choix(valeur, MODES_PAIEMENT, "un mode de paiement")
