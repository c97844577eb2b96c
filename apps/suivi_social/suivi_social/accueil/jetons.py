"""The index of the reception search: the name tokens and phone numbers of every file, per structure.

Why two plain tables and not a DocType, nor MariaDB FULLTEXT:
- The search must find name fragments in any order (« marie leveque »), by prefix as one types,
  within the user's structures first. `nom_recherche` (one key per file, indexed with the
  structure) serves a prefix of the first word only; `LIKE '%marie%'` reads the whole table.
  One row per (structure, token, file) with that primary key makes every token lookup a range
  read of the clustered index, already limited to the structure and covering (no row lookup):
  EXPLAIN shows `type=range`, `key=PRIMARY`, `Using index` (benchmarks/recherche.py prints it).
- MariaDB's FULLTEXT has no n-gram parser (MySQL's), ignores words shorter than
  `innodb_ft_min_token_size` (3) and stop words, cannot be combined with the structure in one
  index (it would read every « marie » of every structure before filtering), and knows no typo.
- A DocType would add eleven standard columns, a `name` primary key instead of the composite one
  above, and a form nobody should open: this is a derived index, rebuilt from tabBeneficiaire at
  will (:func:`reconstruire`), never shown, holding nothing a file does not hold. The tables are
  not prefixed `tab`, so that `bench trim-database` does not take them for a deleted DocType.

One typo (a wrong, missing, added or swapped letter) in a token of five letters or more is found
through the deletion neighbourhood of the distinct tokens (`suivi_recherche_variante`): each token
of four letters or more is stored under itself and under each form with one letter deleted; a
query token and a stored token within one typo share one of these forms. The candidates are then
checked by the Damerau rule of the duplicate matching (imports.doublons.une_faute). Eight lookups
in an index instead of comparing the query with every name of the site.

The index is kept by the file's events (hooks.py doc_events: on_update, on_trash, after_rename,
also run by the merge of two files), by the legacy import's bulk writer (imports/ecriture.py),
and filled for existing sites by the patch accueil_index_recherche.
"""

import frappe

from suivi_social.utils.identite import cle_recherche, telephone_cle

TABLE_JETONS = "suivi_recherche_jeton"
TABLE_VARIANTES = "suivi_recherche_variante"

# A query token of this length or more may carry one typo; the tokens it may be a typo of have at
# least one letter less.
LONGUEUR_FAUTE = 5
LONGUEUR_VARIANTE = LONGUEUR_FAUTE - 1

# Country codes of the French numbering plan: metropolitan France, and the overseas departments
# whose numbers are dialled « 0692 … » in France (utils/identite.py reads « 0692… » as Réunion).
INDICATIFS_FRANCAIS = ("+33", "+262", "+269", "+508", "+590", "+594", "+596")

# The phones through their E.164 keys, which the file's validate computes (telephones_recherche):
# parsing each number again would make the rebuild of 100,000 files take a minute.
CHAMPS_INDEXES = ("name", "structure", "nom_usage", "nom_naissance", "prenoms", "telephones_recherche")


# --- Tokens -------------------------------------------------------------------------------------


def jetons_de_nom(*valeurs: str | None) -> set[str]:
	"""Name tokens of these fields: each word of two letters or more of each, without accents, case
	or punctuation, and each compound field written as one word (« Le Gall » → le, gall, legall;
	« Lévêque-Marie » → leveque, marie, levequemarie), since agents type it either way."""
	jetons: set[str] = set()
	for valeur in valeurs:
		mots = cle_recherche(valeur).split()
		jetons.update(m for m in mots if len(m) >= 2)
		if len(mots) > 1:
			jetons.add("".join(mots)[:140])
	return jetons


def chiffres_de_telephone(valeur: str | None) -> str:
	"""The digits under which a phone is indexed and looked for: the French national form for a
	number of the French plan (« 0612345678 », « 0692123456 » for +262 692…, so that a number
	being typed is found by prefix), the international digits otherwise (« 32475123456 »); ""
	when it is not a valid number."""
	return chiffres_de_cle(telephone_cle(valeur) if valeur else "")


def chiffres_de_cle(e164: str) -> str:
	"""chiffres_de_telephone of a number already in E.164 form (« +33612345678 »)."""
	if not e164.startswith("+"):
		return ""
	for indicatif in INDICATIFS_FRANCAIS:
		if e164.startswith(indicatif):
			return "0" + e164[len(indicatif) :]
	return e164[1:]


def jetons_du_dossier(dossier) -> set[str]:
	"""Every token of a file (a dict or a document with CHAMPS_INDEXES)."""
	jetons = jetons_de_nom(dossier.get("nom_usage"), dossier.get("nom_naissance"), dossier.get("prenoms"))
	for cle in (dossier.get("telephones_recherche") or "").split():
		if numero := chiffres_de_cle(cle):
			jetons.add(numero)
	return {j[:140] for j in jetons}


def variantes(jeton: str) -> set[str]:
	"""The token and its forms with one letter deleted (none for a short token or a number)."""
	if len(jeton) < LONGUEUR_VARIANTE or jeton.isdigit():
		return set()
	return {jeton} | {jeton[:i] + jeton[i + 1 :] for i in range(len(jeton))}


# --- Tables -------------------------------------------------------------------------------------


def creer_tables() -> None:
	"""Create the two tables if missing (DDL commits: run from migrate and install only; nothing is
	run when they exist)."""
	if all(frappe.db.sql("show tables like %s", table) for table in (TABLE_JETONS, TABLE_VARIANTES)):
		return
	frappe.db.sql_ddl(
		f"""create table if not exists `{TABLE_JETONS}` (
			`structure` varchar(140) not null,
			`jeton` varchar(140) not null,
			`beneficiaire` varchar(140) not null,
			primary key (`structure`, `jeton`, `beneficiaire`),
			key `beneficiaire_jeton` (`beneficiaire`, `jeton`)
		) engine=InnoDB row_format=dynamic character set=utf8mb4 collate=utf8mb4_unicode_ci"""
	)
	frappe.db.sql_ddl(
		f"""create table if not exists `{TABLE_VARIANTES}` (
			`variante` varchar(140) not null,
			`jeton` varchar(140) not null,
			primary key (`variante`, `jeton`),
			key `jeton` (`jeton`)
		) engine=InnoDB row_format=dynamic character set=utf8mb4 collate=utf8mb4_unicode_ci"""
	)


def tables_presentes() -> bool:
	"""Whether the index exists on this site. Before the migrate that creates and fills it (patch
	accueil_index_recherche), saves do not write it: the patch's rebuild covers them."""
	if frappe.local.site in _SITES_PRETS:
		return True
	if frappe.db.sql("show tables like %s", TABLE_JETONS):
		_SITES_PRETS.add(frappe.local.site)
		return True
	return False


_SITES_PRETS: set[str] = set()


def indexer(dossiers: list, paquet: int = 1000) -> None:
	"""Write the tokens of these files (dicts or documents with CHAMPS_INDEXES), replacing theirs."""
	if not dossiers or not tables_presentes():
		return
	noms = [d.get("name") for d in dossiers]
	anciens = set(
		frappe.db.sql_list(
			f"select distinct `jeton` from `{TABLE_JETONS}` where `beneficiaire` in %s", [noms]
		)
	)
	frappe.db.sql(f"delete from `{TABLE_JETONS}` where `beneficiaire` in %s", [noms])
	lignes = [(d.get("structure"), jeton, d.get("name")) for d in dossiers for jeton in jetons_du_dossier(d)]
	_inserer(TABLE_JETONS, ("structure", "jeton", "beneficiaire"), lignes, paquet)
	nouveaux = {jeton for _s, jeton, _n in lignes}
	_inserer(
		TABLE_VARIANTES,
		("variante", "jeton"),
		[(v, jeton) for jeton in sorted(nouveaux) for v in variantes(jeton)],
		paquet,
		ignorer=True,
	)
	_oublier_jetons_orphelins(anciens - nouveaux)


def reindexer(noms: list[str]) -> None:
	"""Re-read these files from the database and rewrite their tokens (a deleted one loses them)."""
	noms = sorted(set(filter(None, noms)))
	if not noms or not tables_presentes():
		return
	dossiers = frappe.get_all("Beneficiaire", filters={"name": ("in", noms)}, fields=list(CHAMPS_INDEXES))
	if absents := set(noms) - {d.name for d in dossiers}:
		supprimer(sorted(absents))
	indexer(dossiers)


def supprimer(noms: list[str]) -> None:
	if not noms or not tables_presentes():
		return
	anciens = set(
		frappe.db.sql_list(
			f"select distinct `jeton` from `{TABLE_JETONS}` where `beneficiaire` in %s", [noms]
		)
	)
	frappe.db.sql(f"delete from `{TABLE_JETONS}` where `beneficiaire` in %s", [noms])
	_oublier_jetons_orphelins(anciens)


def _oublier_jetons_orphelins(jetons: set[str]) -> None:
	"""A name no file bears any more (corrected, erased) leaves the typo vocabulary too."""
	jetons = sorted(j for j in jetons if variantes(j))
	if not jetons:
		return
	structures = frappe.get_all("Structure", pluck="name") or [""]
	encore = set(
		frappe.db.sql_list(
			f"select distinct `jeton` from `{TABLE_JETONS}` where `structure` in %s and `jeton` in %s",
			[structures, jetons],
		)
	)
	if orphelins := [j for j in jetons if j not in encore]:
		frappe.db.sql(f"delete from `{TABLE_VARIANTES}` where `jeton` in %s", [orphelins])


def _inserer(table: str, colonnes: tuple[str, ...], lignes: list[tuple], paquet: int, ignorer=False) -> None:
	"""Multi-row INSERTs (frappe.db.bulk_insert builds one pypika object per value: slower for the
	rebuild of a whole site)."""
	gabarit = "(" + ", ".join(["%s"] * len(colonnes)) + ")"
	for k in range(0, len(lignes), paquet):
		lot = lignes[k : k + paquet]
		frappe.db.sql(
			f"insert {'ignore ' if ignorer else ''}into `{table}` ({', '.join(f'`{c}`' for c in colonnes)}) "
			f"values {', '.join([gabarit] * len(lot))}",
			[valeur for ligne in lot for valeur in ligne],
		)


def reconstruire(paquet: int = 5000, afficher=None) -> int:
	"""Rebuild the whole index from tabBeneficiaire (the patch, the benchmark); returns the number
	of files indexed. Commits every batch: run it from migrate or the command line only."""
	creer_tables()
	frappe.db.sql(f"delete from `{TABLE_JETONS}`")
	frappe.db.sql(f"delete from `{TABLE_VARIANTES}`")
	champs = ", ".join(f"`{c}`" for c in CHAMPS_INDEXES)
	dernier, total = "", 0
	while True:
		dossiers = frappe.db.sql(
			f"select {champs} from `tabBeneficiaire` where `name` > %s order by `name` limit %s",
			(dernier, paquet),
			as_dict=True,
		)
		if not dossiers:
			break
		lignes = [(d.structure, jeton, d.name) for d in dossiers for jeton in jetons_du_dossier(d)]
		_inserer(TABLE_JETONS, ("structure", "jeton", "beneficiaire"), lignes, 1000)
		vocabulaire = sorted({jeton for _s, jeton, _n in lignes})
		_inserer(
			TABLE_VARIANTES,
			("variante", "jeton"),
			[(v, jeton) for jeton in vocabulaire for v in variantes(jeton)],
			1000,
			ignorer=True,
		)
		frappe.db.commit()
		total += len(dossiers)
		dernier = dossiers[-1].name
		if afficher:
			afficher(total)
	return total


# --- The file's events (hooks.py doc_events) ------------------------------------------------------


def apres_enregistrement(doc, method=None) -> None:
	"""on_update: insert and every save. Skipped when nothing indexed changed."""
	avant = doc.get_doc_before_save()
	if avant and all(avant.get(c) == doc.get(c) for c in CHAMPS_INDEXES):
		return
	indexer([doc])


def apres_suppression(doc, method=None) -> None:
	"""on_trash (a delete, and the absorbed file of a merge)."""
	supprimer([doc.name])


def apres_renommage(doc, method=None, ancien: str | None = None, nouveau: str | None = None, merge=False):
	"""after_rename, a rename or a merge: the old name's tokens go, the kept file is re-read."""
	reindexer([ancien, nouveau or doc.name])
