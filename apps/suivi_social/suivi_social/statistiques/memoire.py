"""The yearly activity report, kept once computed until the data it counts changes.

Why: the report of a year for a structure of 100,000 files counts distinct people over hundreds
of thousands of accompaniments (8 s on the benchmark's data, 7 s for the same aggregation in raw
SQL: benchmarks/README.md §4): no index makes that instant, so it must not be recomputed each time
a manager opens the page or downloads the PDF. Frappe's prepared reports do not fit: they are
computed in a background job per request, shown as « en file d'attente », and never invalidated
by a change of the data; the report of a closed year changes rarely and must be exact when it
does.

How it stays exact:

- A « generation » is counted per structure (`tout`) and per structure and year: a document
  event that changes what the report of a year counts increments them (`invalider_*`, from the
  doc_events of hooks.py and the bulk import writer). An accompaniment dated in year X changes
  the report of X and of every later year (« nouveaux » and « déjà suivis » look back), so the
  version of year Y sums the generations of the years up to Y. A file's profile (age, genre,
  commune, situation, logement, ressources), its deletion (a merge) or a typology's name or
  « aide » flag change every year: `tout`.
- The numbers of accompaniments up to the end of the year and of files of the structure are
  part of the version too: read from indexes in a few milliseconds, they catch a row written or
  deleted by a path that bypasses document events (raw SQL in a patch or a console).
- The version also holds what the user may see (amounts, resources: field-level permissions, as
  customised on the site) and the language; rows do not depend on the user otherwise, since the
  report is only for the structure's managers and reads the whole structure.
- A result computed in a transaction that has written is never kept (it may hold rows that will
  be rolled back); `after_migrate` forgets everything (patches may rewrite rows without events).
- Generations and results live in one Redis hash per structure, so that Redis's LRU eviction
  (maxmemory-policy allkeys-lru) drops both together: a generation that restarted from zero while
  an old result survived could otherwise match it. One result per (year, rights, language) is
  kept; the hash expires after `DUREE` without a write.
"""

import pickle
from datetime import date

import frappe
import redis
from frappe.utils import getdate

from suivi_social.statistiques.perimetre import PREMIERE_ANNEE, voit_montants, voit_ressources

DUREE = 30 * 24 * 3600
PREFIXE = "suivi_social|rapport_annuel"
TOUT = "g:tout"

# The fields of a file that the yearly report reads (agregats.repartitions and ressources).
CHAMPS_DU_PROFIL = ("date_naissance", "genre", "commune", "situation_familiale", "mode_hebergement")
# The fields of a typology it reads (agregats.noms_typologies and the aids' typologies).
CHAMPS_DE_TYPOLOGIE = ("nom", "aide", "structure")


def _nom(structure: str) -> str:
	return frappe.cache.make_key(f"{PREFIXE}|{structure}")


# Frappe's RedisWrapper pickles hash values and keeps them in a per-request dict
# (frappe.local.cache); generations are plain counters (HINCRBY), read back in the same HMGET as
# the result: the raw redis client methods are used on purpose.
def _redis():
	return frappe.cache


def _champ_annee(annee: int) -> str:
	return f"g:{annee}"


def _champ_resultat(annee: int, droits: str) -> str:
	return f"r:{annee}:{droits}:{frappe.local.lang or 'fr'}"


def incrementer(structure: str | None, *champs: str) -> None:
	if not structure or not champs:
		return
	try:
		pipe = redis.Redis.pipeline(_redis())
		nom = _nom(structure)
		for champ in champs:
			pipe.hincrby(nom, champ, 1)
		pipe.expire(nom, DUREE)
		pipe.execute()
	except redis.exceptions.ConnectionError:
		# Without Redis nothing is kept either (`lire` finds nothing): nothing can go stale.
		pass


def invalider_structure(structure: str | None) -> None:
	"""Every year of the structure."""
	incrementer(structure, TOUT)


def invalider_annees(structure: str | None, *jours) -> None:
	"""The years of these dates and, through the sum in `version`, every later year."""
	annees = {getdate(jour).year for jour in jours if jour}
	incrementer(structure, *(_champ_annee(a) for a in sorted(annees)))


# --- Document events (hooks.py doc_events) -------------------------------------------------------


def accompagnement_modifie(doc, method=None) -> None:
	avant = doc.get_doc_before_save()
	jours = [doc.date]
	if avant:
		jours.append(avant.date)
		if avant.structure != doc.structure:
			invalider_annees(avant.structure, avant.date)
	elif not doc.flags.in_insert:
		# A db_set without the state before it: the old date is unknown.
		invalider_structure(doc.structure)
	invalider_annees(doc.structure, *jours)


def accompagnement_supprime(doc, method=None) -> None:
	invalider_annees(doc.structure, doc.date)


def beneficiaire_modifie(doc, method=None) -> None:
	avant = doc.get_doc_before_save()
	if avant is None:
		# A new file counts only once accompanied (that accompaniment invalidates), but a db_set
		# without the state before it may have changed anything.
		if not doc.flags.in_insert:
			invalider_structure(doc.structure)
		return
	if _profil(avant) != _profil(doc):
		invalider_structure(doc.structure)
		if avant.structure != doc.structure:
			invalider_structure(avant.structure)


def _profil(doc) -> tuple:
	return (
		doc.structure,
		*(str(doc.get(champ) or "") for champ in CHAMPS_DU_PROFIL),
		tuple(sorted(r.nature or "" for r in doc.get("ressources") or [])),
	)


def beneficiaire_supprime(doc, method=None) -> None:
	invalider_structure(doc.structure)


def typologie_modifiee(doc, method=None) -> None:
	avant = doc.get_doc_before_save()
	if avant is None or any(avant.get(c) != doc.get(c) for c in CHAMPS_DE_TYPOLOGIE):
		invalider_structure(doc.structure)
		if avant and avant.structure != doc.structure:
			invalider_structure(avant.structure)


def typologie_supprimee(doc, method=None) -> None:
	invalider_structure(doc.structure)


def tout_oublier() -> None:
	"""after_migrate: patches may have rewritten rows without document events."""
	try:
		for cle in redis.Redis.scan_iter(_redis(), match=frappe.cache.make_key(f"{PREFIXE}|*")):
			redis.Redis.delete(_redis(), cle)
	except redis.exceptions.ConnectionError:
		pass


# --- Reading and keeping ---------------------------------------------------------------------------


def droits() -> str:
	"""What the result depends on for the user: amounts and resources (field-level permissions)."""
	return f"m{int(voit_montants())}r{int(voit_ressources())}"


def empreinte(annee: int, structure: str) -> tuple[int, int]:
	"""Rows counted by the report up to the end of the year, and files of the structure: from the
	(structure, date, statut, …) and (structure, …) indexes, whatever wrote them."""
	accompagnements = frappe.db.sql(
		"select count(*) from `tabAccompagnement` where structure = %s and date <= %s",
		(structure, date(annee, 12, 31)),
	)[0][0]
	dossiers = frappe.db.sql("select count(*) from `tabBeneficiaire` where structure = %s", structure)[0][0]
	return accompagnements, dossiers


def version(annee: int, generations: list, structure: str) -> tuple:
	"""`generations`: the counters `TOUT`, then of each year from PREMIERE_ANNEE to `annee`."""
	tout, *annees = (int(n or 0) for n in generations)
	return (tout, sum(annees), *empreinte(annee, structure))


def calculer_ou_relire(annee: int, structure: str, calculer) -> frappe._dict:
	"""The result of `calculer()` for this year and structure, kept or computed now.

	The caller has already applied the structure criterion and the role check: this only decides
	whether the figures must be counted again."""
	nom, droits_ = _nom(structure), droits()
	champ = _champ_resultat(annee, droits_)
	# Read before computing: a change committed while computing gives a newer version, so the
	# result kept under this one is never newer than what it says.
	champs = [TOUT, *(_champ_annee(a) for a in range(PREMIERE_ANNEE, annee + 1)), champ]
	try:
		*generations, brut = redis.Redis.hmget(_redis(), nom, champs)
	except redis.exceptions.ConnectionError:
		return calculer()
	courante = version(annee, generations, structure)
	if brut:
		version_gardee, donnees = pickle.loads(brut)
		if version_gardee == courante:
			return frappe._dict(donnees)
	donnees = calculer()
	if not frappe.db.transaction_writes:
		try:
			pipe = redis.Redis.pipeline(_redis())
			pipe.hset(nom, champ, pickle.dumps((courante, dict(donnees))))
			pipe.expire(nom, DUREE)
			pipe.execute()
		except redis.exceptions.ConnectionError:
			pass
	return donnees
