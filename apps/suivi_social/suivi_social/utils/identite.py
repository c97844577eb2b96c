"""Validation and normalisation of identity data (SIRET, NIR, postcode, phone, e-mail, search keys).

Pure Python (no Frappe import) so that it can be unit-tested in isolation. Each ``normaliser_*`` function
returns the normalised value or raises :class:`IdentiteInvalide` with a short French message that does not
name the field: the caller prefixes the field label and translates the message.
"""

import datetime
import functools
import re
import unicodedata

import phonenumbers

__all__ = [
	"IdentiteInvalide",
	"chiffres",
	"cle_recherche",
	"normaliser_code_postal",
	"normaliser_email",
	"normaliser_nir",
	"normaliser_siret",
	"normaliser_telephone",
	"telephone_cle",
]


class IdentiteInvalide(ValueError):
	"""Raised when an identity value is invalid; the message is a French sentence without the field label."""


# --- Search key ---------------------------------------------------------------------------------------

# Letters that NFKD does not decompose into an ASCII base letter.
_LIGATURES = str.maketrans(
	{
		"œ": "oe",
		"æ": "ae",
		"ß": "ss",
		"ø": "o",
		"đ": "d",
		"ð": "d",
		"ł": "l",
		"þ": "th",
		"\u0131": "i",  # dotless i
	}
)
_NON_ALPHANUM = re.compile(r"[^a-z0-9]+")


# Memoised: an import computes the keys of every header, name and commune of the workbook several
# times (matching, fingerprints, mapping), about 45 per row.
@functools.lru_cache(maxsize=100_000)
def cle_recherche(*parts: str | None) -> str:
	"""Return an accent-, case- and punctuation-insensitive key ("Hélène D'Argent" → "helene d argent")."""
	texte = " ".join(p for p in parts if p)
	if not texte:
		return ""
	texte = unicodedata.normalize("NFKD", texte)
	texte = "".join(c for c in texte if not unicodedata.combining(c))
	texte = texte.lower().translate(_LIGATURES)
	return _NON_ALPHANUM.sub(" ", texte).strip()


def chiffres(value: str | None) -> str:
	"""Return only the ASCII digits of ``value`` ("" for None)."""
	return re.sub(r"[^0-9]", "", value or "")


# Whitespace (including non-breaking spaces), dots and hyphens used as separators in legacy data.
_SEPARATEURS = re.compile(r"[\s.\-]+")


def _sans_separateurs(value: str | None) -> str:
	return _SEPARATEURS.sub("", value or "")


# --- SIRET --------------------------------------------------------------------------------------------

_SIREN_LA_POSTE = "356000000"
_SIRET_LA_POSTE_SIEGE = "35600000000048"  # La Poste head office: follows the ordinary Luhn rule


def _luhn_valide(nombre: str) -> bool:
	"""Return True if the digit string passes the Luhn checksum."""
	total = 0
	for i, c in enumerate(reversed(nombre)):
		d = int(c)
		if i % 2 == 1:
			d *= 2
			if d > 9:
				d -= 9
		total += d
	return total % 10 == 0


def normaliser_siret(value: str) -> str:
	"""Validate a SIRET (14 digits, Luhn, La Poste exception) and return its 14 digits."""
	siret = _sans_separateurs(value)
	if not re.fullmatch(r"[0-9]{14}", siret):
		raise IdentiteInvalide("doit comporter 14 chiffres")
	if siret.startswith(_SIREN_LA_POSTE) and siret != _SIRET_LA_POSTE_SIEGE:
		valide = sum(int(c) for c in siret) % 5 == 0
	else:
		valide = _luhn_valide(siret)
	if not valide:
		raise IdentiteInvalide("clé de contrôle invalide (algorithme de Luhn)")
	return siret


# --- NIR (numéro de sécurité sociale) -----------------------------------------------------------------

_NIR_FORMAT = re.compile(r"[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}")
_NIR_SEXES = "123478"
# Expected first NIR digit by gender ("Male"/"Female" are Frappe's standard Gender records).
_GENRES = {"homme": "1", "male": "1", "femme": "2", "female": "2"}


def _nir_mois_valide(mois: int) -> bool:
	return 1 <= mois <= 12 or 20 <= mois <= 42 or 50 <= mois <= 99


def cle_nir(nir13: str) -> int:
	"""Return the 2-digit key of the first 13 characters of a NIR (2A/2B handled)."""
	return 97 - int(nir13.upper().replace("2A", "19").replace("2B", "18")) % 97


def normaliser_nir(
	value: str, sexe: str | None = None, date_de_naissance: datetime.date | None = None
) -> str:
	"""Validate a NIR (13 characters + 2-digit key) and return its 15 characters, uppercase, no spaces.

	When given, ``sexe`` ("Homme"/"Femme", or Frappe's "Male"/"Female") and ``date_de_naissance`` are
	checked against the NIR.
	"""
	nir = _sans_separateurs(value).upper()
	if len(nir) != 15 or not _NIR_FORMAT.fullmatch(nir):
		raise IdentiteInvalide("doit comporter 15 caractères (13 chiffres et la clé)")
	if nir[0] not in _NIR_SEXES:
		raise IdentiteInvalide("le premier chiffre (sexe) doit être 1, 2, 3, 4, 7 ou 8")
	mois = int(nir[3:5])
	if not _nir_mois_valide(mois):
		raise IdentiteInvalide("le mois de naissance (4e et 5e chiffres) est invalide")
	if cle_nir(nir[:13]) != int(nir[13:]):
		raise IdentiteInvalide("clé de contrôle invalide")

	genre = _GENRES.get((sexe or "").strip().lower())
	if nir[0] in "12" and genre and nir[0] != genre:
		raise IdentiteInvalide("ne correspond pas au genre")

	if date_de_naissance is not None and 1 <= mois <= 12:
		if int(nir[1:3]) != date_de_naissance.year % 100 or mois != date_de_naissance.month:
			raise IdentiteInvalide("ne correspond pas à la date de naissance")
	return nir


# --- Postcode -----------------------------------------------------------------------------------------


def normaliser_code_postal(value: str) -> str:
	"""Validate a French postcode (5 digits, department prefix 01-98) and return it."""
	code = re.sub(r"\s+", "", value or "")
	if not re.fullmatch(r"[0-9]{5}", code):
		raise IdentiteInvalide("doit comporter 5 chiffres")
	if not 1 <= int(code[:2]) <= 98:
		raise IdentiteInvalide("n'est pas un code postal français")
	return code


# --- Phone --------------------------------------------------------------------------------------------

_TELEPHONE_INVALIDE = "n'est pas un numéro de téléphone valide"
_TELEPHONE_SEPARATEURS = re.compile(r"[\s.\-/()]+")
# Overseas departments and collectivities that share the French 10-digit national numbering plan
# (e.g. "0692 12 34 56" is a Réunion mobile, +262); phonenumbers' FR metadata does not cover them.
_REGIONS_OUTRE_MER = ("RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF")
_TYPES_GEOGRAPHIQUES = (
	phonenumbers.PhoneNumberType.FIXED_LINE,
	phonenumbers.PhoneNumberType.MOBILE,
	phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def _parser_telephone(value: str | None, region: str) -> phonenumbers.PhoneNumber:
	"""Parse and validate a phone number, raising IdentiteInvalide if it is not a valid number."""
	texte = (value or "").strip()
	compact = _TELEPHONE_SEPARATEURS.sub("", texte)
	if not compact:
		raise IdentiteInvalide(_TELEPHONE_INVALIDE)
	if region == "FR":
		if re.fullmatch(r"[0-9]{9}", compact):
			# French number whose leading zero was lost (e.g. stored as a number in a spreadsheet)
			compact = texte = "0" + compact
		if re.fullmatch(r"0[256][0-9]{8}", compact):
			# Overseas geographic/mobile ranges (0262, 0590, 0692…) dialled in national format
			for outre_mer in _REGIONS_OUTRE_MER:
				numero = phonenumbers.parse(compact, outre_mer)
				if phonenumbers.is_valid_number(numero) and (
					phonenumbers.number_type(numero) in _TYPES_GEOGRAPHIQUES
				):
					return numero
	try:
		numero = phonenumbers.parse(texte, region)
	except phonenumbers.NumberParseException as exc:
		raise IdentiteInvalide(_TELEPHONE_INVALIDE) from exc
	if not phonenumbers.is_valid_number(numero):
		raise IdentiteInvalide(_TELEPHONE_INVALIDE)
	return numero


def normaliser_telephone(value: str, region: str = "FR") -> str:
	"""Validate a phone number; return "06 12 34 56 78" for +33 numbers, international format otherwise."""
	numero = _parser_telephone(value, region)
	if numero.country_code == 33:
		return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.NATIONAL)
	return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def telephone_cle(value: str, region: str = "FR") -> str:
	"""Return the E.164 form ("+33612345678") for search/deduplication, or "" if invalid; never raises."""
	try:
		numero = _parser_telephone(value, region)
	except Exception:
		return ""
	return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)


# --- E-mail -------------------------------------------------------------------------------------------

_EMAIL = re.compile(
	r"(?P<local>[^\s@,;:<>()\[\]\\\"]+)@(?P<domaine>[^\s@,;:<>()\[\]\\\".]+(?:\.[^\s@,;:<>()\[\]\\\".]+)+)"
)


def normaliser_email(value: str) -> str:
	"""Validate an e-mail address (pragmatic check) and return it stripped, with a lowercase domain."""
	match = _EMAIL.fullmatch((value or "").strip())
	if not match:
		raise IdentiteInvalide("n'est pas une adresse e-mail valide")
	return f"{match['local']}@{match['domaine'].lower()}"
