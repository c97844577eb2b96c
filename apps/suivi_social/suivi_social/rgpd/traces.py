"""The copies Frappe and the app keep of a document outside its own row, and their purge.

A record of a social file leaves copies of its values in other tables: each change in Version
(track_changes), each deletion in Deleted Document (its full JSON, restorable), comments and their
cache in the parent's `_comments` column, e-mails (Communication, Email Queue and its recipients),
the bell (Notification Log), assignments (ToDo), shares (DocShare), follows (Document Follow),
the Activity Log, the global search index (`__global_search`), its attachments (File rows and the
files on disk), the reception's search index (accueil/jetons.py) and the app's own traces (the
labels of a reassignment, continuite/reaffectation.py).

Why the app does it and not Frappe: `frappe.delete_doc` removes some of these (delete_dynamic_links)
in a background job that may never run without a worker, only *clears* the references of
Communication and Activity Log (their text stays), and *writes* a Deleted Document with the whole
record. Nothing in Frappe 15 removes them for a document that stays (an anonymised file).

What is kept: who opened or exported a file (View Log, Access Log) is the accountability the RGPD
asks for; those rows hold the opaque file number and the agent, not the person. The HTML of a
printed PDF that Frappe stores in Access Log `page` is blanked when it names one of the documents
(or one of the `valeurs`), the row itself stays.

Used by the retention job (rgpd/conservation.py) and the right to erasure.
"""

import json
from collections import defaultdict

import frappe

# Tables referencing a document by (doctype column, name column), whose rows are removed.
REFERENCES = (
	("Version", "ref_doctype", "docname"),
	("Deleted Document", "deleted_doctype", "deleted_name"),
	("Comment", "reference_doctype", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("ToDo", "reference_type", "reference_name"),
	("DocShare", "share_doctype", "share_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
	("Email Unsubscribe", "reference_doctype", "reference_name"),
	("Activity Log", "reference_doctype", "reference_name"),
	("Activity Log", "timeline_doctype", "timeline_name"),
	("Activity Log", "link_doctype", "link_name"),
)

# Link fields through which a deleted record (Deleted Document `data`) belonged to a file: the
# accompaniments, rappels and private reports deleted before the file was anonymised or erased.
LIENS_VERS_LE_DOSSIER = ("beneficiaire", "beneficiaire_lie")


def purger_traces(documents: list[tuple[str, str]], valeurs: list[str] | None = None) -> dict[str, int]:
	"""Remove every copy of these documents ((doctype, name) pairs) kept outside their own rows.

	`valeurs`: optional identifying strings (phone numbers, e-mail addresses, names) whose copies
	without any reference are looked for too — SMS Log rows sent to a number, printed pages in the
	Access Log. Returns the number of rows removed (or blanked) per table.

	Runs without permission checks: the caller decides (the retention job, or the Responsable's
	erasure after its own check). Does not commit."""
	comptes: dict[str, int] = defaultdict(int)
	par_doctype = _par_doctype(documents)
	_ajouter_supprimes_du_dossier(par_doctype)
	if not par_doctype:
		return {}

	# Attachments first: deleting a File adds an « Attachment Removed » comment to its document,
	# removed with the comments below.
	for doctype, noms in par_doctype.items():
		comptes["File"] += _supprimer_fichiers(doctype, noms)

	_supprimer_communications(par_doctype, comptes)
	for doctype, noms in par_doctype.items():
		for table, colonne_doctype, colonne_nom in REFERENCES:
			comptes[table] += _supprimer(table, {colonne_doctype: doctype, colonne_nom: ("in", noms)})
		comptes["Email Queue"] += _supprimer_emails(
			frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": doctype, "reference_name": ("in", noms)},
				pluck="name",
			)
		)
		comptes["__global_search"] += _supprimer_recherche_globale(doctype, noms)
		_vider_cache_commentaires(doctype, noms)
		comptes["Reaffectation Ligne"] += _effacer_libelles(doctype, noms)

	if beneficiaires := par_doctype.get("Beneficiaire"):
		from suivi_social.accueil import jetons

		comptes["suivi_recherche_jeton"] += len(
			frappe.db.sql_list(
				f"select distinct beneficiaire from `{jetons.TABLE_JETONS}` where beneficiaire in %s",
				[beneficiaires],
			)
			if jetons.tables_presentes()
			else []
		)
		jetons.supprimer(beneficiaires)

	cherches = [n for noms in par_doctype.values() for n in noms] + [v for v in valeurs or [] if v]
	comptes["Access Log"] += _effacer_pages_imprimees(cherches)
	comptes["SMS Log"] += _supprimer_sms([v for v in valeurs or [] if v])
	return {table: n for table, n in comptes.items() if n}


def _par_doctype(documents: list[tuple[str, str]]) -> dict[str, list[str]]:
	par_doctype: dict[str, set[str]] = defaultdict(set)
	for doctype, name in documents:
		if doctype and name:
			par_doctype[doctype].add(name)
	return {doctype: sorted(noms) for doctype, noms in par_doctype.items()}


def _ajouter_supprimes_du_dossier(par_doctype: dict[str, list[str]]) -> None:
	"""Add the records deleted earlier that belonged to one of these files: their Deleted Document,
	Versions and comments name the person too (an accompaniment deleted last year)."""
	beneficiaires = par_doctype.get("Beneficiaire")
	if not beneficiaires:
		return
	table = frappe.qb.DocType("Deleted Document")
	condition = None
	for nom in beneficiaires:
		for champ in LIENS_VERS_LE_DOSSIER:
			# The JSON of as_json(): `"beneficiaire": "CCAS-00012"`; confirmed on the parsed data below.
			terme = table.data.like(f'%"{champ}": {json.dumps(nom)}%')
			condition = terme if condition is None else condition | terme
	for ligne in (
		frappe.qb.from_(table)
		.select(table.deleted_doctype, table.deleted_name, table.data)
		.where(condition)
		.run(as_dict=True)
	):
		donnees = json.loads(ligne.data or "{}")
		if any(donnees.get(champ) in beneficiaires for champ in LIENS_VERS_LE_DOSSIER):
			noms = set(par_doctype.get(ligne.deleted_doctype, []))
			noms.add(ligne.deleted_name)
			par_doctype[ligne.deleted_doctype] = sorted(noms)


def _supprimer(table: str, filtres: dict) -> int:
	noms = frappe.get_all(table, filters=filtres, pluck="name")
	if noms:
		frappe.db.delete(table, {"name": ("in", noms)})
	return len(noms)


def _supprimer_fichiers(doctype: str, noms: list[str]) -> int:
	fichiers = frappe.get_all(
		"File", filters={"attached_to_doctype": doctype, "attached_to_name": ("in", noms)}, pluck="name"
	)
	for fichier in fichiers:
		# File.on_trash removes the file on disk unless another File row shares it;
		# delete_permanently: no Deleted Document copy of the File row.
		frappe.delete_doc("File", fichier, ignore_permissions=True, delete_permanently=True, force=True)
	return len(fichiers)


def _supprimer_communications(par_doctype: dict[str, list[str]], comptes: dict) -> None:
	"""E-mails, SMS and comments recorded as Communication about one of the documents, either as its
	reference or through a timeline link, with their links and queued e-mails."""
	noms: set[str] = set()
	for doctype, documents in par_doctype.items():
		noms.update(
			frappe.get_all(
				"Communication",
				filters={"reference_doctype": doctype, "reference_name": ("in", documents)},
				pluck="name",
			)
		)
		noms.update(
			frappe.get_all(
				"Communication Link",
				filters={"link_doctype": doctype, "link_name": ("in", documents)},
				pluck="parent",
			)
		)
	if not noms:
		return
	noms_ = sorted(noms)
	comptes["Email Queue"] += _supprimer_emails(
		frappe.get_all("Email Queue", filters={"communication": ("in", noms_)}, pluck="name")
	)
	frappe.db.delete("Communication Link", {"parent": ("in", noms_)})
	frappe.db.delete("Communication", {"name": ("in", noms_)})
	comptes["Communication"] += len(noms_)


def _supprimer_emails(noms: list[str]) -> int:
	if noms:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", noms)})
		frappe.db.delete("Email Queue", {"name": ("in", noms)})
	return len(noms)


def _supprimer_recherche_globale(doctype: str, noms: list[str]) -> int:
	# Frappe's global search index is a plain table (frappe/utils/global_search.py), no DocType.
	if "__global_search" not in frappe.db.get_tables():
		return 0
	nombre = frappe.db.sql(
		"select count(*) from `__global_search` where doctype = %s and name in %s", (doctype, noms)
	)[0][0]
	if nombre:
		frappe.db.sql("delete from `__global_search` where doctype = %s and name in %s", (doctype, noms))
	return nombre


def _vider_cache_commentaires(doctype: str, noms: list[str]) -> None:
	"""The last comments are cached in the document's own `_comments` column (frappe.desk.form.utils)."""
	if frappe.db.table_exists(doctype, cached=True) and frappe.db.has_column(doctype, "_comments"):
		frappe.db.sql(
			f"update `tab{doctype}` set `_comments` = null where name in %s",  # nosec: doctype from the DB
			[noms],
		)


def _effacer_libelles(doctype: str, noms: list[str]) -> int:
	"""A reassignment (continuite/reaffectation.py) keeps the name of each file it moved, as its
	label: the line stays (which files moved, when), without the name."""
	if not frappe.db.table_exists("Reaffectation Ligne", cached=True):
		return 0
	lignes = frappe.get_all(
		"Reaffectation Ligne", filters={"type_document": doctype, "document": ("in", noms)}, pluck="name"
	)
	if lignes:
		frappe.db.set_value("Reaffectation Ligne", {"name": ("in", lignes)}, "libelle", "")
	return len(lignes)


def _effacer_pages_imprimees(cherches: list[str]) -> int:
	"""Frappe keeps the HTML of each printed PDF in Access Log `page` (frappe/utils/print_format.py),
	without a reference to the document: blank the pages that name one of `cherches`."""
	cherches = [c for c in cherches if len(c) >= 3]
	if not cherches:
		return 0
	noms = _lignes_contenant("Access Log", ("page", "filters"), cherches)
	if noms:
		frappe.db.set_value("Access Log", {"name": ("in", noms)}, {"page": "", "filters": ""})
	return len(noms)


def _supprimer_sms(valeurs: list[str]) -> int:
	"""SMS Log rows (Frappe's send_sms) sent to one of these numbers: the message names the person's
	appointment; the row has no reference to the file."""
	if not valeurs or not frappe.db.table_exists("SMS Log", cached=False):
		return 0
	noms = _lignes_contenant("SMS Log", ("requested_numbers", "sent_to"), valeurs)
	if noms:
		frappe.db.delete("SMS Log", {"name": ("in", noms)})
	return len(noms)


def _echapper_like(valeur: str) -> str:
	return valeur.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _lignes_contenant(doctype: str, colonnes: tuple[str, ...], termes: list[str]) -> list[str]:
	"""Names of the rows of `doctype` where one of `colonnes` contains one of `termes` (none without
	terms: an empty condition would select every row)."""
	if not termes:
		return []
	table = frappe.qb.DocType(doctype)
	condition = None
	for terme in termes:
		for colonne in colonnes:
			critere = table[colonne].like(f"%{_echapper_like(terme)}%")
			condition = critere if condition is None else condition | critere
	return frappe.qb.from_(table).select(table.name).where(condition).run(pluck=True)
