"""Writing a plan: new files, completed existing files, accompaniments, and the fingerprint of
every row written — in batches, one transaction per batch, each table of a batch written with
multi-row INSERTs.

Why not `Document.insert()`: on the benchmark site (benchmarks/, 2 shared cores) it takes 15 ms for
a file and 30 ms for an accompaniment (defaults, naming hooks, link and permission checks,
validation, one INSERT per record and per child row, post-save hooks, the file's summary read
again after each accompaniment), and a row of a workbook makes a file or part of one, one or more
accompaniments and the row's fingerprint: the per-record path caps an import at a few dozen rows
per second. The import applies the same rules to whole batches instead, at about 2 ms per row:

- **The controllers' rules run on every record.** Each file and accompaniment is a Document of its
  DocType, whose `validate` runs through `run_method`, hooks included, as in `insert`. The duplicate
  check of the Bénéficiaire form is replaced by the import's own matching (imports/doublons.py),
  which compares the whole workbook with the structure at once.
- **Frappe's own checks** (mandatory fields, select options, data formats, non-negative numbers,
  lengths, HTML sanitising), the defaults and the standard fields (owner, creation, docstatus…) are
  read from the DocType's meta once per import (:class:`Gabarit`) and applied to every record. A
  record the fast check does not pass as it is goes through Frappe's own methods, which refuse it
  with Frappe's message or correct it (stripped option, sanitised HTML) as `insert` would.
- **Names.** The files' numbers come from a block reserved in one update of their series per batch
  (:class:`NomsReserves`); the other records get Frappe's « hash » names (`make_autoname("hash")`).
- **What `garde_structure` (doc_events before_validate) checks on a save**, checked once instead:
  the user may import into the structure (each step of execution.py); every typology is of the
  structure, every agent and référent one of its agents (:class:`Ecrivain`); the existing files a
  batch writes to are read in one query and must be of the structure; every record written carries
  the structure of its file.
- **After saving.** The file's summary (last contact, next appointment, open requests, which
  Accompagnement.on_update refreshes) is computed in memory for the new files and refreshed once
  per batch for the existing ones. Frappe's hooks of every DocType, and what a site may set up on
  these (notifications, webhooks, assignment rules, server scripts, workflows…), are accounted for
  in imports/automatismes.py: reproduced, replayed record by record when the site sets them up,
  or refused.

Left out on purpose: Version rows (Frappe writes none for an insert, except from its Data Import),
global search (no field of these DocTypes is in it), the realtime `doc_update`/`list_update` of each
record (the import publishes its progress once per batch), the document cache (new records are not
in it) and « follow the documents I create » (an agent does not follow a whole legacy workbook).
Merges into existing files fill their empty fields with the controller's normalisation and search
keys (`validate_contact`, `set_cles_recherche`).

A batch holds whole persons (a file and all its rows), and registers the fingerprint of each row
it writes (Ligne Importee, unique per structure) in the same transaction: after a crash, the next
run skips what was committed and finishes the rest, without duplicates.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.desk.notifications import clear_doctype_notifications
from frappe.model import datetime_fields, float_like_fields
from frappe.model.base_document import get_controller, max_positive_value
from frappe.model.naming import make_autoname
from frappe.utils import cint, cstr, flt

from suivi_social.accueil import jetons
from suivi_social.continuite.notifications import rendez_vous_pour_un_absent
from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import calculer_synthese, syntheses
from suivi_social.exceptions import HorsStructure
from suivi_social.imports.analyse import (
	A_VERIFIER,
	FUSIONNEE,
	IMPORTEE,
	REJETEE,
	LigneImport,
	Personne,
	Plan,
)
from suivi_social.imports.automatismes import apres_insertion, automatismes
from suivi_social.imports.erreurs import ImportImpossible, message_de
from suivi_social.statistiques import memoire

# Rows of the workbook per transaction.
# Fields of an existing file whose completion changes its tokens in the search index.
INDEXES = set(jetons.CHAMPS_INDEXES)
TAILLE_LOT = 500

# The records an agent works with, whose automations the site may set up (imports/automatismes.py).
DOCTYPES_AUTOMATISABLES = ("Beneficiaire", "Accompagnement")

# The rows of a batch are inserted in the order of an indexed date: the other indexes of these
# tables take new rows at their end (names and numbers that follow the last ones, the structure,
# the statut), but a date index takes them anywhere, one page read per row when the index does not
# fit in memory. In date order, neighbouring rows share their pages (measured on the benchmark's
# million accompaniments: a quarter to a third less time to insert a batch).
TRI_INSERTION = {"Accompagnement": "date", "Beneficiaire": "date_naissance"}

ISSUES_ENREGISTREES = {IMPORTEE: "Importée", FUSIONNEE: "Fusionnée", A_VERIFIER: "À vérifier"}
ISSUES_LUES = {v: k for k, v in ISSUES_ENREGISTREES.items()}

# Fields of an existing file the import may fill when they are empty (never overwritten).
CHAMPS_A_COMPLETER = (
	"nom_naissance",
	"date_naissance",
	"lieu_naissance",
	"civilite",
	"genre",
	"adresse",
	"code_postal",
	"commune",
	"telephone",
	"telephone_2",
	"email",
	"situation_familiale",
)


class Transaction:
	"""One batch = one transaction. Tests, which must leave nothing behind, use savepoints."""

	def __init__(self, valider: bool = True):
		self.valider = valider
		self.numero = 0
		self.ouverte = False

	def debut(self) -> None:
		self.numero += 1
		self.ouverte = True
		if not self.valider:
			frappe.db.savepoint(f"import_lot_{self.numero}")

	def fin(self) -> None:
		self.ouverte = False
		if self.valider:
			frappe.db.commit()
		else:
			frappe.db.release_savepoint(f"import_lot_{self.numero}")

	def annuler(self) -> None:
		"""Undo the open batch (what was committed before stays)."""
		if self.valider:
			frappe.db.rollback()
		elif self.ouverte:
			try:
				frappe.db.rollback(save_point=f"import_lot_{self.numero}")
			except Exception:
				# The database already rolled the whole transaction back (deadlock): nothing to undo.
				frappe.db.rollback()
		self.ouverte = False


class Ecrivain:
	def __init__(
		self,
		plan: Plan,
		structure: str,
		typologies: dict[str, str],
		agent_par_defaut: str,
		import_classeur: str | None = None,
		transaction: Transaction | None = None,
		progression: Callable[[int, int], None] | None = None,
		taille_lot: int | None = None,
	):
		self.plan = plan
		self.structure = structure
		# sheet → Type Accompagnement name
		self.typologies = typologies
		self.agent_par_defaut = agent_par_defaut
		self.import_classeur = import_classeur
		self.transaction = transaction or Transaction()
		self.progression = progression
		self.taille_lot = taille_lot or TAILLE_LOT
		self.agents = self._agents_de_la_structure()
		self._verifier_typologies()
		self.automatismes = {d: automatismes(d) for d in DOCTYPES_AUTOMATISABLES}
		self._verifier_automatismes()
		self.crees: Counter = Counter()
		self.accompagnements_par_type: Counter = Counter()
		self.maintenant = frappe.utils.now_datetime()
		self.gabarits: dict[str, Gabarit] = {}

	def _agents_de_la_structure(self) -> set[str]:
		return set(
			frappe.get_all(
				"User Permission",
				filters={"allow": "Structure", "for_value": self.structure},
				pluck="user",
			)
		)

	def _verifier_typologies(self) -> None:
		"""garde_structure's check of the typology links, once for the whole import."""
		if not self.typologies:
			return
		autres = frappe.get_all(
			"Type Accompagnement",
			filters={
				"name": ("in", list(set(self.typologies.values()))),
				"structure": ("!=", self.structure),
			},
			pluck="name",
		)
		if autres:
			frappe.throw(
				_(
					"Les typologies {0} appartiennent à une autre structure que « {1} » : choisissez pour "
					"chaque feuille une typologie de la structure."
				).format(", ".join(f"« {t} »" for t in sorted(autres)), self.structure),
				HorsStructure,
			)

	def _verifier_automatismes(self) -> None:
		if avant := [libelle for a in self.automatismes.values() for libelle in a.avant]:
			frappe.throw(
				_(
					"Ce site déclenche {0} avant l'enregistrement de chaque nouveau dossier ou "
					"accompagnement : l'import, qui enregistre les lignes par lots, ne peut pas le faire. "
					"Désactivez-les le temps de l'import."
				).format(", ".join(avant)),
				ImportImpossible,
			)

	def gabarit(self, doctype: str) -> Gabarit:
		if doctype not in self.gabarits:
			self.gabarits[doctype] = Gabarit(doctype)
		return self.gabarits[doctype]

	# --- Batches ----------------------------------------------------------------------------

	def ecrire(self) -> None:
		a_ecrire = [p for p in self.plan.personnes if any(self._a_ecrire(l) for l in p.lignes)]
		total = sum(len(p.lignes) for p in self.plan.personnes)
		fait = total - sum(len(p.lignes) for p in a_ecrire)
		lot: list[Personne] = []
		taille = 0
		with references_memorisees():
			for personne in a_ecrire:
				lot.append(personne)
				taille += len(personne.lignes)
				if taille >= self.taille_lot:
					fait += self._ecrire_lot(lot)
					self._avancer(fait, total)
					lot, taille = [], 0
			if lot:
				fait += self._ecrire_lot(lot)
				self._avancer(fait, total)

	def _avancer(self, fait: int, total: int) -> None:
		if self.progression:
			self.progression(fait, total)

	@staticmethod
	def _a_ecrire(ligne: LigneImport) -> bool:
		return ligne.issue != REJETEE and not ligne.deja_importee

	def _ecrire_lot(self, personnes: list[Personne], essais: int = 3) -> int:
		"""One transaction. It is rolled back and the batch written again from scratch, up to
		`essais` times, after a deadlock (another writer on the same rows or series) or when a
		« hash » name is already taken (Frappe's insert draws another name then)."""
		etat = self._etat(personnes)
		for essai in range(1, essais + 1):
			try:
				return self._ecrire_lot_une_fois(personnes)
			except Exception as erreur:
				# A deadlock rolls the whole transaction back: not retried within a test's savepoints.
				deadlock = isinstance(erreur, frappe.QueryDeadlockError) and self.transaction.valider
				if essai == essais or not (deadlock or _nom_deja_pris(erreur)):
					raise
				self._restaurer(etat)
		return 0

	def _etat(self, personnes: list[Personne]) -> tuple:
		lignes = [(l, l.issue, list(l.raisons), l.beneficiaire) for p in personnes for l in p.lignes]
		return lignes, Counter(self.crees), Counter(self.accompagnements_par_type)

	def _restaurer(self, etat: tuple) -> None:
		lignes, self.crees, self.accompagnements_par_type = etat[0], Counter(etat[1]), Counter(etat[2])
		for ligne, issue, raisons, beneficiaire in lignes:
			ligne.issue, ligne.raisons, ligne.beneficiaire = issue, list(raisons), beneficiaire

	def _ecrire_lot_une_fois(self, personnes: list[Personne]) -> int:
		self.transaction.debut()
		try:
			# doctype → rows to insert, as tuples in the order of its Gabarit's columns
			self.lignes_a_inserer: dict[str, list[tuple]] = {}
			# records whose DocType the site automates, for apres_insertion once written
			self.a_rejouer: list = []
			# appointments written, for continuite.notifications (automatismes.py)
			self.rendez_vous: list = []
			self.noms_pris: set[str] = set()
			self.instant = frappe.utils.now_datetime()
			self.user = frappe.session.user
			self.noms = NomsReserves(self.structure, sum(1 for p in personnes if not p.dossier))
			# existing file → the empty fields the batch fills
			self.completions: dict[str, dict] = {}
			self.dossiers_crees: list = []
			dossiers = self._dossiers_existants(personnes)
			ecrits: list[str] = []
			for personne in personnes:
				if (nom := self._ecrire_personne(personne, dossiers)) and personne.dossier:
					ecrits.append(nom)
			for doctype, lignes in self.lignes_a_inserer.items():
				self.gabarit(doctype).inserer(lignes)
			for doc in self.a_rejouer:
				apres_insertion(doc)
			# An appointment still to come with an agent who is away: their colleague is told.
			for doc in self.rendez_vous:
				rendez_vous_pour_un_absent(doc)
			for doctype in DOCTYPES_AUTOMATISABLES:
				if doctype in self.lignes_a_inserer:
					clear_doctype_notifications(doctype)
			self._mettre_a_jour_dossiers(ecrits)
			# Rows written without document events: the kept yearly reports of the structure
			# (statistiques/memoire.py) are counted again.
			memoire.invalider_structure(self.structure)
			# The reception search's index (what the file's on_update does, accueil/jetons.py): the
			# new files, and the existing ones whose names or phones the batch completed.
			jetons.indexer(self.dossiers_crees)
			jetons.reindexer([nom for nom, c in self.completions.items() if INDEXES.intersection(c)])
			self.transaction.fin()
		except Exception:
			self.transaction.annuler()
			raise
		return sum(len(p.lignes) for p in personnes)

	def _dossiers_existants(self, personnes: list[Personne]) -> dict[str, dict]:
		"""The existing files the batch writes to, in one query: their structure, name, the fields
		the import may complete and those their search keys are made of."""
		noms = sorted({p.dossier for p in personnes if p.dossier})
		if not noms:
			return {}
		champs = ["name", "structure", "nom_complet", "nom_usage", "prenoms", "sans_telephone"]
		return {
			d.name: d
			for d in frappe.get_all(
				"Beneficiaire",
				filters={"name": ("in", noms)},
				fields=[*champs, *CHAMPS_A_COMPLETER],
			)
		}

	def _mettre_a_jour_dossiers(self, noms: list[str]) -> None:
		"""The existing files the batch wrote to, in one UPDATE each: the empty fields it fills, and
		their summary from all their accompaniments, old and new (what Accompagnement.on_update's
		rafraichir_synthese does), read in one query. The new files got their summary before being
		written."""
		for nom, synthese in syntheses(noms, self.maintenant).items():
			completes = self.completions.get(nom, {})
			frappe.db.set_value(
				"Beneficiaire", nom, {**completes, **synthese}, update_modified=bool(completes)
			)

	# --- One person -------------------------------------------------------------------------

	def _ecrire_personne(self, personne: Personne, dossiers: dict[str, dict]) -> str | None:
		lignes = [l for l in personne.lignes if self._a_ecrire(l)]
		if not lignes:
			return None
		beneficiaire = None
		if personne.dossier:
			dossier = dossiers.get(personne.dossier)
			if not dossier or dossier.structure != self.structure:
				erreur = HorsStructure(
					_("le dossier {0} n'est pas un dossier de la structure « {1} »").format(
						personne.dossier, self.structure
					)
				)
				for ligne in lignes:
					self._rejeter(ligne, erreur)
				return None
			nom, nom_complet = dossier.name, dossier.nom_complet
		else:
			try:
				beneficiaire = self._beneficiaire(personne)
			except frappe.ValidationError as erreur:
				for ligne in lignes:
					self._rejeter(ligne, erreur)
				return None
			nom, nom_complet = beneficiaire.name, beneficiaire.nom_complet
		documents = []
		for ligne in lignes:
			try:
				documents.append(
					(ligne, [self._accompagnement(ligne, v, nom, nom_complet) for v in ligne.accompagnements])
				)
			except frappe.ValidationError as erreur:
				self._rejeter(ligne, erreur)
		if not documents:
			return None
		if beneficiaire:
			beneficiaire.update(
				calculer_synthese(
					[
						{"date": d.date, "heure": d.heure, "statut": d.statut}
						for _l, docs in documents
						for d in docs
					],
					self.maintenant,
				)
			)
			self._ajouter(beneficiaire)
			self.dossiers_crees.append(beneficiaire)
			self.crees["Beneficiaire"] += 1
		else:
			self._completer(personne, dossier)
		for ligne, docs in documents:
			for doc in docs:
				self._ajouter(doc)
				self.accompagnements_par_type[self.typologies.get(ligne.feuille)] += 1
			ligne.beneficiaire = nom
			self._enregistrer(ligne, [doc.name for doc in docs])
		return nom

	def _rejeter(self, ligne: LigneImport, erreur: Exception) -> None:
		ligne.issue = REJETEE
		ligne.raisons.insert(0, f"{ligne.lieu()} : {message_de(erreur)}")
		ligne.beneficiaire = None

	def _beneficiaire(self, personne: Personne):
		valeurs = dict(personne.valeurs)
		referents = [u for u in personne.referents if u in self.agents]
		doc = self.document(
			"Beneficiaire",
			{"structure": self.structure, **valeurs},
			referents=[{"user": u} for u in referents],
		)
		# The import's matching (imports/doublons.py) replaces the form's duplicate check.
		doc.validate_doublon = lambda: None
		# Its number, from a block reserved for the batch (Beneficiaire.autoname's series).
		return self._preparer(doc, self.noms.suivant())

	def _accompagnement(self, ligne: LigneImport, valeurs: dict, beneficiaire: str, nom_complet: str):
		agent = ligne.referent_user if ligne.referent_user in self.agents else self.agent_par_defaut
		doc = self.document(
			"Accompagnement",
			{
				"beneficiaire": beneficiaire,
				"nom_beneficiaire": nom_complet,
				"structure": self.structure,
				"agent": agent,
				**valeurs,
			},
			types_accompagnement=[{"type_accompagnement": self.typologies[ligne.feuille]}],
		)
		return self._preparer(doc, deja_echappes=("compte_rendu",))

	def document(self, doctype: str, valeurs: dict, **tables: list[dict]):
		"""A new record holding `valeurs` and its child rows: the object frappe.get_doc(dict) builds,
		copied from one built that way once per import (11 µs instead of 73 for an accompaniment
		and its typology)."""
		doc = self.gabarit(doctype).nouveau()
		doc.update(valeurs)
		for champ, lignes in tables.items():
			gabarit = self.gabarit(doc.get_table_field_doctype(champ))
			for ligne in lignes:
				enfant = gabarit.nouveau()
				enfant.update(ligne)
				doc.append(champ, enfant)
		return doc

	def _preparer(self, doc, nom: str | None = None, deja_echappes: tuple[str, ...] = ()):
		"""Everything Document.insert does before writing, without writing.

		`deja_echappes`: HTML fields whose content the import built from escaped text (the notes of
		analyse._accompagnements); Frappe's HTML sanitiser, the slowest step, runs on the others."""
		doc.flags.ignore_permissions = True
		doc.set("__islocal", True)
		# Document.check_if_latest for a new record: no previous version, a « save ».
		doc._doc_before_save, doc._action = None, "save"
		horodatage = self._horodatage()
		doc.name = nom or self._nom_hash()
		for d in (doc, *doc.get_all_children()):
			if d is not doc:
				d.name = self._nom_hash()
			self.gabarit(d.doctype).completer(d, horodatage, self.user)
		doc.set_parent_in_children()
		gabarit = self.gabarit(doc.doctype)
		if gabarit.validate_seul:
			doc.validate()
		else:
			doc.run_method("validate")
		if not all(
			self.gabarit(d.doctype).conforme(d, deja_echappes if d is doc else ())
			for d in (doc, *doc.get_all_children())
		):
			de_cote = {champ: doc.get(champ) for champ in deja_echappes}
			doc.update(dict.fromkeys(de_cote))
			_verifications_frappe(doc)
			doc.update(de_cote)
		doc.set_title_field()
		return doc

	def _horodatage(self) -> str:
		"""The creation time of the next record: one microsecond after the previous one, so that
		records sort in the order they were written, as with Frappe's own `now()`."""
		self.instant += datetime.timedelta(microseconds=1)
		return self.instant.strftime("%Y-%m-%d %H:%M:%S.%f")

	def _nom_hash(self) -> str:
		"""A « hash » name as Frappe draws it (time prefix, random end), none twice in a batch."""
		while (nom := make_autoname("hash")) in self.noms_pris:
			pass
		self.noms_pris.add(nom)
		return nom

	def _completer(self, personne: Personne, actuel: dict) -> None:
		"""Fill the empty fields of an existing file; never overwrite what an agent typed."""
		valeurs = {
			champ: personne.valeurs[champ]
			for champ in CHAMPS_A_COMPLETER
			if personne.valeurs.get(champ) and not actuel.get(champ)
		}
		if "telephone_2" in valeurs and valeurs["telephone_2"] == actuel.get("telephone"):
			valeurs.pop("telephone_2")
		if not valeurs:
			return
		doc = frappe.get_doc({**actuel, "doctype": "Beneficiaire", **valeurs})
		try:
			doc.validate_contact()
			doc.set_cles_recherche()
		except frappe.ValidationError as erreur:
			message_de(erreur)
			return
		completes = {
			**{c: doc.get(c) for c in valeurs},
			"nom_recherche": doc.nom_recherche,
			"telephones_recherche": doc.telephones_recherche,
		}
		# Written after the batch's INSERTs; another person of the batch sent to the same file
		# sees these fields filled.
		self.completions.setdefault(actuel.name, {}).update(completes)
		actuel.update(completes)
		personne.completer = valeurs
		self.crees["Beneficiaire complété"] += 1

	def _ajouter(self, doc) -> None:
		if (automatismes := self.automatismes.get(doc.doctype)) and automatismes.apres:
			self.a_rejouer.append(doc)
		elif doc.doctype == "Accompagnement" and doc.get("rendez_vous"):
			# Replayed records run it with their other hooks (automatismes.py).
			self.rendez_vous.append(doc)
		for d in (doc, *doc.get_all_children()):
			self.lignes_a_inserer.setdefault(d.doctype, []).append(
				self.gabarit(d.doctype).valeurs(d.__dict__)
			)

	def _enregistrer(self, ligne: LigneImport, accompagnements: list[str]) -> None:
		horodatage = self._horodatage()
		self.lignes_a_inserer.setdefault("Ligne Importee", []).append(
			self.gabarit("Ligne Importee").valeurs(
				{
					"name": self._nom_hash(),
					"creation": horodatage,
					"modified": horodatage,
					"owner": self.user,
					"modified_by": self.user,
					"docstatus": 0,
					"idx": 0,
					"structure": self.structure,
					"import_classeur": self.import_classeur,
					"empreinte": ligne.empreinte,
					"feuille": ligne.feuille,
					"ligne": ligne.numero,
					"issue": ISSUES_ENREGISTREES[ligne.issue],
					"beneficiaire": ligne.beneficiaire,
					"accompagnements": " ".join(accompagnements),
				}
			)
		)


def _nom_deja_pris(erreur: Exception) -> bool:
	import pymysql

	return isinstance(erreur, pymysql.IntegrityError) and frappe.db.is_primary_key_violation(erreur)


class Gabarit:
	"""What Document.insert does to a new record of one DocType before writing it, read from the
	DocType's meta once per import and applied to each record: its defaults and standard fields,
	its values as they are written (BaseDocument.get_valid_dict), and a fast form of Frappe's
	checks (Document._validate) that passes only what they would pass unchanged."""

	def __init__(self, doctype: str):
		meta = frappe.get_meta(doctype)
		self.doctype = doctype
		self.defauts = _defauts(doctype)
		self.modele = frappe.get_doc({"doctype": doctype})
		self.tables = [df.fieldname for df in meta.get_table_fields()]
		champs = {df.fieldname: df for df in meta.fields}
		self.colonnes = [c for c in meta.get_valid_columns() if not getattr(champs.get(c), "is_virtual", 0)]
		self.conversions = [(c, _conversion(c, champs.get(c))) for c in self.colonnes]
		self.validate_seul = _methode_seule(doctype, "validate")
		self.tri = self.colonnes.index(TRI_INSERTION[doctype]) if doctype in TRI_INSERTION else None
		self.facultatives = set(
			frappe.db.sql_list(
				"""select column_name from information_schema.columns
				where table_schema = database() and table_name = %s and is_nullable = 'YES'
					and (column_default is null or column_default = 'NULL')""",
				f"tab{doctype}",
			)
		)
		# Document._validate_mandatory, _validate_selects, _validate_data_fields, _validate_non_negative
		self.obligatoires = [df.fieldname for df in meta.fields if df.reqd]
		self.options = {
			df.fieldname: frozenset(df.options.split("\n"))
			for df in meta.get_select_fields()
			if df.fieldname != "naming_series" and df.options
		}
		self.formats = [
			df.fieldname
			for df in meta.fields
			if df.fieldtype == "Phone"
			or (df.fieldtype == "Data" and df.options in ("Email", "Name", "Phone", "URL"))
		]
		self.positifs = [
			df.fieldname
			for df in meta.fields
			if df.non_negative and df.fieldtype in ("Int", "Float", "Currency")
		]
		# Document._validate_length: characters of a varchar, absolute value of an integer
		self.longueurs, self.entiers = {}, {}
		for fieldname in self.colonnes:
			df = champs.get(fieldname)
			if not df or df.fieldtype == "Check":
				continue
			type_colonne, longueur = frappe.db.type_map.get(df.fieldtype, (None, None))
			if type_colonne == "varchar":
				self.longueurs[fieldname] = cint(df.length) or cint(longueur)
			elif type_colonne in max_positive_value:
				self.entiers[fieldname] = max_positive_value[
					"bigint" if cint(df.length) > 11 else type_colonne
				]
		# Document._sanitize_content: the columns whose HTML Frappe sanitises (not those it leaves as
		# they are, nor numbers, which get_valid_dict has converted before)
		self.a_assainir = [
			fieldname
			for fieldname in self.colonnes
			if not (df := champs.get(fieldname))
			or not (
				df.ignore_xss_filter
				or (df.fieldtype in ("Data", "Small Text", "Text") and df.options == "Email")
				or df.fieldtype in ("Attach", "Attach Image", "Barcode", "Code", "Int", "Check")
				or df.fieldtype in float_like_fields
			)
		]

	def nouveau(self):
		"""A copy of a new, empty record (frappe.get_doc({"doctype": …})), with its own flags and
		child tables."""
		doc = copy.copy(self.modele)
		doc.flags = frappe._dict()
		for champ in self.tables:
			doc.__dict__[champ] = []
		return doc

	def completer(self, doc, horodatage: str, user: str) -> None:
		"""Document._set_defaults, set_user_and_timestamp and set_docstatus for a new record."""
		valeurs = doc.__dict__
		for champ, defaut in self.defauts.items():
			if valeurs.get(champ) is None:
				valeurs[champ] = defaut
		valeurs.update(creation=horodatage, modified=horodatage, owner=user, modified_by=user, docstatus=0)

	def conforme(self, doc, deja_echappes: tuple[str, ...] = ()) -> bool:
		"""True when Frappe's checks would accept the record and leave it unchanged; False when they
		must run (they refuse it, or strip an option, or sanitise HTML)."""
		valeurs = doc.__dict__
		for champ in self.obligatoires:
			v = valeurs.get(champ)
			if v is None or v == [] or (isinstance(v, str) and (not v.strip() or "<" in v)):
				return False
		for champ, options in self.options.items():
			v = valeurs.get(champ)
			if v and not (isinstance(v, str) and v in options):
				return False
		if any(valeurs.get(champ) for champ in self.formats):
			return False
		if any(flt(valeurs.get(champ)) < 0 for champ in self.positifs):
			return False
		for champ, longueur in self.longueurs.items():
			v = valeurs.get(champ)
			if v is not None and len(v if isinstance(v, str) else cstr(v)) > longueur:
				return False
		for champ, maximum in self.entiers.items():
			if abs(cint(valeurs.get(champ))) > maximum:
				return False
		for champ in self.a_assainir:
			v = valeurs.get(champ)
			if isinstance(v, str) and ("<" in v or ">" in v) and champ not in deja_echappes:
				return False
		return True

	def inserer(self, lignes: list[tuple], paquet: int = 500) -> None:
		"""Multi-row INSERTs of these rows, the values passed as parameters (frappe.db.bulk_insert
		builds the same statement through pypika, an object and a named parameter per value). A
		column no row of a statement has a value for is left out when the table's default for it
		is NULL: the same rows, fewer values to send."""
		if self.tri is not None:
			lignes = sorted(lignes, key=lambda ligne: (ligne[self.tri] is None, str(ligne[self.tri])))
		for k in range(0, len(lignes), paquet):
			lot = lignes[k : k + paquet]
			gardees = [
				i
				for i, colonne in enumerate(self.colonnes)
				if colonne not in self.facultatives or any(ligne[i] is not None for ligne in lot)
			]
			gabarit = "(" + ", ".join(["%s"] * len(gardees)) + ")"
			frappe.db.sql(
				f"insert into `tab{self.doctype}` ({', '.join(f'`{self.colonnes[i]}`' for i in gardees)}) "
				f"values {', '.join([gabarit] * len(lot))}",
				[ligne[i] for ligne in lot for i in gardees],
			)

	def valeurs(self, valeurs: dict) -> tuple:
		"""The record's row, in the order of `colonnes`."""
		return tuple(
			conversion(valeurs.get(champ)) if conversion else valeurs.get(champ)
			for champ, conversion in self.conversions
		)


def _methode_seule(doctype: str, methode: str) -> bool:
	"""Whether Document.run_method(methode) runs the controller's method and nothing else for this
	DocType: no doc_events (its own or "*"), no Notification on this method, no Server Script on its
	event. Webhooks never run on `validate`. Then the import calls the method itself: the same
	work, without looking these up again for each record (a tenth of the writing)."""
	from frappe.core.doctype.server_script.server_script_utils import EVENT_MAP, get_server_script_map

	if not callable(getattr(get_controller(doctype), methode, None)):
		return False
	evenements = frappe.get_doc_hooks()
	if evenements.get(doctype, {}).get(methode) or evenements.get("*", {}).get(methode):
		return False
	if frappe.get_all(
		"Notification",
		filters={"enabled": 1, "document_type": doctype, "event": "Method", "method": methode},
		limit=1,
	):
		return False
	return not get_server_script_map().get(doctype, {}).get(EVENT_MAP.get(methode))


def _conversion(fieldname: str, df) -> Callable | None:
	"""BaseDocument.get_valid_dict's conversion of a field's value before it is written."""
	if df is None:
		return int if fieldname in ("docstatus", "idx") else None
	if df.fieldtype == "Check":
		return lambda v: 1 if cint(v) else 0
	if df.fieldtype == "Int":
		return lambda v: v if isinstance(v, int) else cint(v)
	if df.fieldtype == "JSON":
		return lambda v: json.dumps(v, separators=(",", ":")) if isinstance(v, dict) else v
	if df.fieldtype in float_like_fields:
		return lambda v: v if isinstance(v, float) else flt(v)
	date = df.fieldtype in datetime_fields
	if date or df.unique:
		return lambda v: None if (date and v == "") or (df.unique and cstr(v).strip() == "") else v
	return None


def _defauts(doctype: str) -> dict:
	"""Document._set_defaults' values for a new record (field defaults and the user's defaults, the
	same frappe.new_doc values) — except the dates and times of the moment (« Today », the current
	time Frappe puts in every Time field): a record of the past keeps the dates of the workbook, or
	none."""
	nouveau = frappe.new_doc(doctype, as_dict=True)
	meta = frappe.get_meta(doctype)
	return {
		k: v
		for k, v in nouveau.items()
		if v is not None
		and not isinstance(v, list | dict)
		and k not in ("name", "doctype")
		and not (meta.get_field(k) and meta.get_field(k).fieldtype in ("Date", "Datetime", "Time"))
	}


class NomsReserves:
	"""The numbers of the new files of a batch, reserved in one update of their series
	(Beneficiaire.autoname: « PREFIXE-.##### », one series per structure)."""

	CHIFFRES = 5

	def __init__(self, structure: str, nombre: int):
		prefixe = frappe.db.get_value("Structure", structure, "prefixe_dossier")
		self.cle = f"{prefixe}-"
		self.premier = self.suivant_libre = 0
		if nombre:
			courant = frappe.db.sql(
				"select `current` from `tabSeries` where `name` = %s for update", self.cle
			)
			if courant:
				debut = int(courant[0][0] or 0)
				frappe.db.sql(
					"update `tabSeries` set `current` = %s where `name` = %s", (debut + nombre, self.cle)
				)
			else:
				debut = 0
				frappe.db.sql(
					"insert into `tabSeries` (`name`, `current`) values (%s, %s)", (self.cle, nombre)
				)
			self.suivant_libre, self.dernier = debut + 1, debut + nombre

	def suivant(self) -> str:
		if not self.suivant_libre or self.suivant_libre > self.dernier:
			raise RuntimeError("Plus de numéro de dossier réservé pour ce lot.")
		nom = f"{self.cle}{self.suivant_libre:0{self.CHIFFRES}d}"
		self.suivant_libre += 1
		return nom


@contextmanager
def references_memorisees(doctypes=("Type Accompagnement", "Structure")):
	"""While an import writes, the controllers' reads of the structure and of the typologies (one
	per accompaniment in Accompagnement.validate_types) are read once: the import is checked against
	them as they were when it started.
	So is the parsing of each phone number (utils.identite, pure; about ten parses per number in
	Beneficiaire.validate_contact and set_cles_recherche)."""
	import functools

	from suivi_social.utils import identite

	original = frappe.db.get_value
	analyse_telephone = identite._parser_telephone
	identite._parser_telephone = functools.lru_cache(maxsize=20_000)(analyse_telephone)
	memoire: dict = {}

	def get_value(doctype, filters=None, fieldname="name", *args, **kwargs):
		if doctype in doctypes and isinstance(filters, str) and not args and set(kwargs) <= {"as_dict"}:
			cle = (
				doctype,
				filters,
				fieldname if isinstance(fieldname, str) else tuple(fieldname),
				kwargs.get("as_dict"),
			)
			if cle not in memoire:
				memoire[cle] = original(doctype, filters, fieldname, **kwargs)
			valeur = memoire[cle]
			return frappe._dict(valeur) if isinstance(valeur, dict) else valeur
		return original(doctype, filters, fieldname, *args, **kwargs)

	frappe.db.get_value = get_value
	try:
		yield
	finally:
		del frappe.db.get_value
		identite._parser_telephone = analyse_telephone


def _verifications_frappe(doc) -> None:
	"""Document._validate's checks that apply to what the import writes: mandatory fields, data
	formats, select options, non-negative numbers, lengths, HTML sanitising — on the document and
	its rows. Left out: ratings, code fields, passwords, images pasted in text editors and workflows,
	which none of these DocTypes has, and whose lookups of the DocType's fields cost as much as all
	the rest."""
	doc._validate_mandatory()
	for d in (doc, *doc.get_all_children()):
		d._validate_data_fields()
		d._validate_selects()
		d._validate_non_negative()
		d._validate_length()
		d._sanitize_content()
