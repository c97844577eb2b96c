"""Writing a plan: new files, completed existing files, accompaniments, and the fingerprint of
every row written — fast, in batches, one transaction per batch.

Each document is built as Frappe would (defaults, name, the controller's `validate`, then
Frappe's own checks of mandatory fields, selects, lengths and HTML), so the import obeys the same
rules as the desk; the rows are then written with multi-row INSERTs. What the controllers do after
saving is done once per batch: the file's summary (last contact, next appointment, open
requests). The duplicate check of the Bénéficiaire form is replaced by the import's own matching.

A batch holds whole persons (a file and all its rows), and registers the fingerprint of each row
it writes (Ligne Importee, unique per structure) in the same transaction: after a crash, the next
run skips what was committed and finishes the rest, without duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager

import frappe
from frappe.model.naming import set_new_name

from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import calculer_synthese
from suivi_social.imports.analyse import (
	A_VERIFIER,
	FUSIONNEE,
	IMPORTEE,
	REJETEE,
	LigneImport,
	Personne,
	Plan,
)
from suivi_social.imports.erreurs import message_de

# Rows of the workbook per transaction.
TAILLE_LOT = 500

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
		self.crees: Counter = Counter()
		self.accompagnements_par_type: Counter = Counter()
		self.maintenant = frappe.utils.now_datetime()

	def _agents_de_la_structure(self) -> set[str]:
		return set(
			frappe.get_all(
				"User Permission",
				filters={"allow": "Structure", "for_value": self.structure},
				pluck="user",
			)
		)

	# --- Batches ----------------------------------------------------------------------------

	def ecrire(self) -> None:
		a_ecrire = [p for p in self.plan.personnes if any(self._a_ecrire(l) for l in p.lignes)]
		total = sum(len(p.lignes) for p in self.plan.personnes)
		fait = total - sum(len(p.lignes) for p in a_ecrire)
		lot: list[Personne] = []
		for personne in a_ecrire:
			lot.append(personne)
			if sum(len(p.lignes) for p in lot) >= self.taille_lot:
				fait += self._ecrire_lot(lot)
				self._avancer(fait, total)
				lot = []
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
		"""One transaction; a deadlock (another writer on the same rows or series) rolls it back and
		the batch is written again from scratch, up to `essais` times."""
		etat = self._etat(personnes)
		for essai in range(1, essais + 1):
			try:
				return self._ecrire_lot_une_fois(personnes)
			except frappe.QueryDeadlockError:
				if essai == essais or not self.transaction.valider:
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
		from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import rafraichir_synthese

		self.transaction.debut()
		try:
			self.lignes_a_inserer: dict[str, list[dict]] = {}
			self.defauts: dict[str, dict] = {}
			self.noms = NomsReserves(self.structure, sum(1 for p in personnes if not p.dossier))
			existants: list[str] = []
			with references_memorisees():
				for personne in personnes:
					if (nom := self._ecrire_personne(personne)) and personne.dossier:
						existants.append(nom)
			for doctype, lignes in self.lignes_a_inserer.items():
				_inserer(doctype, lignes)
			# The new files got their summary before being written; existing ones are refreshed.
			for nom in dict.fromkeys(existants):
				rafraichir_synthese(nom)
			self.transaction.fin()
		except Exception:
			self.transaction.annuler()
			raise
		return sum(len(p.lignes) for p in personnes)

	# --- One person -------------------------------------------------------------------------

	def _ecrire_personne(self, personne: Personne) -> str | None:
		lignes = [l for l in personne.lignes if self._a_ecrire(l)]
		if not lignes:
			return None
		beneficiaire = None
		if personne.dossier:
			nom = personne.dossier
			nom_complet = frappe.db.get_value("Beneficiaire", nom, "nom_complet")
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
			self.crees["Beneficiaire"] += 1
		else:
			self._completer(personne)
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
		doc = frappe.get_doc(
			{
				"doctype": "Beneficiaire",
				"structure": self.structure,
				**valeurs,
				"referents": [{"user": u} for u in referents],
			}
		)
		# The import's matching (imports/doublons.py) replaces the form's duplicate check.
		doc.validate_doublon = lambda: None
		# Its number, from a block reserved for the batch (Beneficiaire.autoname's series).
		doc.name = self.noms.suivant()
		doc.flags.name_set = True
		for enfant in doc.get_all_children():
			set_new_name(enfant)
		return _preparer(doc, self.defauts)

	def _accompagnement(self, ligne: LigneImport, valeurs: dict, beneficiaire: str, nom_complet: str):
		agent = ligne.referent_user if ligne.referent_user in self.agents else self.agent_par_defaut
		doc = frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": beneficiaire,
				"nom_beneficiaire": nom_complet,
				"structure": self.structure,
				"types_accompagnement": [{"type_accompagnement": self.typologies[ligne.feuille]}],
				"agent": agent,
				**valeurs,
			}
		)
		return _preparer(doc, self.defauts, deja_echappes=("compte_rendu",))

	def _completer(self, personne: Personne) -> None:
		"""Fill the empty fields of an existing file; never overwrite what an agent typed."""
		actuel = frappe.db.get_value("Beneficiaire", personne.dossier, list(CHAMPS_A_COMPLETER), as_dict=True)
		if not actuel:
			return
		valeurs = {
			champ: personne.valeurs[champ]
			for champ in CHAMPS_A_COMPLETER
			if personne.valeurs.get(champ) and not actuel.get(champ)
		}
		if "telephone_2" in valeurs and valeurs["telephone_2"] == actuel.get("telephone"):
			valeurs.pop("telephone_2")
		if valeurs:
			doc = frappe.get_doc("Beneficiaire", personne.dossier)
			doc.update(valeurs)
			doc.validate_doublon = lambda: None
			try:
				doc.validate_contact()
				doc.set_cles_recherche()
			except frappe.ValidationError:
				return
			frappe.db.set_value(
				"Beneficiaire",
				personne.dossier,
				{**{c: doc.get(c) for c in valeurs}, "telephones_recherche": doc.telephones_recherche},
			)
			personne.completer = valeurs
			self.crees["Beneficiaire complété"] += 1

	def _ajouter(self, doc) -> None:
		for d in (doc, *doc.get_all_children()):
			self.lignes_a_inserer.setdefault(d.doctype, []).append(
				d.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
			)

	def _enregistrer(self, ligne: LigneImport, accompagnements: list[str]) -> None:
		self.lignes_a_inserer.setdefault("Ligne Importee", []).append(
			{
				"name": frappe.generate_hash(length=12),
				"creation": frappe.utils.now(),
				"modified": frappe.utils.now(),
				"owner": frappe.session.user,
				"modified_by": frappe.session.user,
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
	"""During a batch, the controllers' reads of the structure and of the typologies (one per
	accompaniment in Accompagnement.validate_types) are read once: they do not change meanwhile.
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


def _preparer(doc, defauts: dict, deja_echappes: tuple[str, ...] = ()):
	"""Everything Document.insert does before writing, without writing.

	`deja_echappes`: HTML fields whose content the import built from escaped text (the notes of
	analyse._accompagnements); Frappe's HTML sanitiser, the slowest step, runs on the others."""
	doc.flags.ignore_permissions = True
	doc.set("__islocal", True)
	_valeurs_par_defaut(doc, defauts)
	doc.set_user_and_timestamp()
	doc.set_docstatus()
	doc.set_new_name()
	doc.set_parent_in_children()
	doc.run_method("validate")
	de_cote = {champ: doc.get(champ) for champ in deja_echappes}
	doc.update(dict.fromkeys(de_cote))
	_verifications_frappe(doc)
	doc.update(de_cote)
	doc.set_title_field()
	return doc


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


def _valeurs_par_defaut(doc, cache: dict) -> None:
	"""Document._set_defaults, with the defaults of each DocType computed once per batch (the same
	frappe.new_doc values: field defaults and the user's defaults) — except the dates and times of
	the moment (« Today », the current time Frappe puts in every Time field): a record of the past
	keeps the dates of the workbook, or none."""
	for d in (doc, *doc.get_all_children()):
		if d.doctype not in cache:
			nouveau = frappe.new_doc(d.doctype, as_dict=True)
			meta = frappe.get_meta(d.doctype)
			cache[d.doctype] = {
				k: v
				for k, v in nouveau.items()
				if v is not None
				and not isinstance(v, list | dict)
				and k != "name"
				and not (meta.get_field(k) and meta.get_field(k).fieldtype in ("Date", "Datetime", "Time"))
			}
		d.update_if_missing(cache[d.doctype])


def _inserer(doctype: str, lignes: list[dict], paquet: int = 500) -> None:
	"""Multi-row INSERTs, the values passed as parameters."""
	if not lignes:
		return
	colonnes = list(dict.fromkeys(c for ligne in lignes for c in ligne))
	gabarit = "(" + ", ".join(["%s"] * len(colonnes)) + ")"
	noms = ", ".join(f"`{c}`" for c in colonnes)
	for k in range(0, len(lignes), paquet):
		lot = lignes[k : k + paquet]
		frappe.db.sql(
			f"insert into `tab{doctype}` ({noms}) values {', '.join([gabarit] * len(lot))}",
			[ligne.get(c) for ligne in lot for c in colonnes],
		)
