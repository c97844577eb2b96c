import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import make_autoname
from frappe.utils import add_years, date_diff, getdate, today

from suivi_social.dossiers.rendez_vous import valider_consentements
from suivi_social.exceptions import DoublonProbable
from suivi_social.utils.erreurs import normaliser, refuser
from suivi_social.utils.identite import (
	cle_recherche,
	normaliser_code_postal,
	normaliser_email,
	normaliser_nir,
	normaliser_telephone,
	telephone_cle,
)

AGE_MAXIMUM = 120


class Beneficiaire(Document):
	def autoname(self):
		# The file number is per structure (PREFIXE-00001); it never contains the person's name.
		prefixe = self.structure and frappe.db.get_value("Structure", self.structure, "prefixe_dossier")
		if not prefixe:
			refuser(self, "structure", _("est obligatoire"))
		self.name = make_autoname(f"{prefixe}-.#####", doc=self)

	@property
	def age(self) -> int | None:
		if not self.date_naissance:
			return None
		fin = getdate(self.date_deces) if self.date_deces else getdate(today())
		naissance = getdate(self.date_naissance)
		return fin.year - naissance.year - ((fin.month, fin.day) < (naissance.month, naissance.day))

	# The structure cannot change, and référents and linked files must be of it:
	# permissions.structure.garde_structure, shared by every record that carries a structure.
	def validate(self):
		self.set_nom_complet()
		self.set_date_archivage()
		self.validate_dates()
		self.validate_contact()
		valider_consentements(self)  # reminders of appointments (dossiers/rendez_vous.py)
		self.validate_nir()
		self.validate_entourage()
		self.set_cles_recherche()
		self.validate_doublon()

	def set_nom_complet(self):
		self.nom_usage = " ".join((self.nom_usage or "").split())
		self.prenoms = " ".join((self.prenoms or "").split())
		self.nom_complet = f"{self.nom_usage.upper()} {self.prenoms}".strip()

	def set_date_archivage(self):
		# The retention clock of an archived file (rgpd/conservation.py) starts on this date.
		if self.statut != "Archivé":
			self.date_archivage = None
		elif not self.date_archivage:
			self.date_archivage = getdate()

	def validate_dates(self):
		# getdate() is today's date, without formatting it and parsing it back (getdate(today())):
		# this runs for every file of an import.
		aujourd_hui = getdate()
		if self.date_naissance:
			naissance = getdate(self.date_naissance)
			if naissance > aujourd_hui:
				refuser(self, "date_naissance", _("ne peut pas être dans le futur"))
			if naissance < getdate(add_years(aujourd_hui, -AGE_MAXIMUM)):
				refuser(
					self, "date_naissance", _("ne peut pas remonter à plus de {0} ans").format(AGE_MAXIMUM)
				)
		if self.date_deces:
			if getdate(self.date_deces) > aujourd_hui:
				refuser(self, "date_deces", _("ne peut pas être dans le futur"))
			if self.date_naissance and date_diff(self.date_deces, self.date_naissance) < 0:
				refuser(self, "date_deces", _("ne peut pas précéder la date de naissance"))

	def validate_contact(self):
		normaliser(self, "code_postal", normaliser_code_postal)
		normaliser(self, "telephone", normaliser_telephone)
		normaliser(self, "telephone_2", normaliser_telephone)
		normaliser(self, "email", normaliser_email)
		if self.sans_telephone and (self.telephone or self.telephone_2):
			refuser(self, "sans_telephone", _("est coché alors qu'un numéro de téléphone est saisi"))

	def validate_nir(self):
		normaliser(
			self,
			"numero_securite_sociale",
			normaliser_nir,
			self.genre,
			self.date_naissance and getdate(self.date_naissance),
		)

	def validate_entourage(self):
		for row in self.entourage:
			normaliser(row, "telephone", normaliser_telephone)
			if row.beneficiaire_lie and row.beneficiaire_lie == self.name:
				refuser(row, "beneficiaire_lie", _("ne peut pas être le dossier lui-même"))

	def set_cles_recherche(self):
		"""Accent-free keys for the reception search and the duplicate check (indexed columns)."""
		self.nom_recherche = cle_recherche(self.nom_usage, self.nom_naissance, self.prenoms)
		self.telephones_recherche = " ".join(
			key for key in (telephone_cle(self.telephone), telephone_cle(self.telephone_2)) if key
		)

	def validate_doublon(self):
		if self.doublon_confirme:
			return
		if not (
			self.is_new()
			or self.has_value_changed("nom_recherche")
			or self.has_value_changed("date_naissance")
		):
			return
		if doublons := doublons_du_dossier(self.as_dict()):
			liens = ", ".join(
				f'<a href="/app/beneficiaire/{d.name}">{frappe.utils.escape_html(d.name)} '
				f"({frappe.utils.escape_html(d.nom_complet)})</a> : {frappe.utils.escape_html(d.raison)}"
				for d in doublons
			)
			frappe.throw(
				_(
					"Un dossier existe peut-être déjà pour cette personne : {0}. Ouvrez-le, ou confirmez qu'il "
					"s'agit d'une autre personne."
				).format(liens),
				exc=DoublonProbable,
				title=_("Doublon probable"),
			)

	def onload(self):
		# The form offers « Fusionner avec un autre dossier » by the merge's own rule.
		from suivi_social.dossiers.fusion import peut_fusionner

		if not self.is_new():
			self.set_onload("peut_fusionner", peut_fusionner(self))
			# « Droit d'accès » and « Effacer définitivement » by their own rules (rgpd/droits.py).
			from suivi_social.rgpd.droits import droits_du_formulaire

			self.set_onload("droits_rgpd", droits_du_formulaire(self))

	def after_rename(self, old: str, new: str, merge: bool = False):
		# « Fusionner deux dossiers » checked its rule (dossiers/fusion.py), which lets a Travailleur
		# social merge without the right to delete files: the absorbed file is deleted here, so that
		# Frappe's merge, which deletes it next with the user's own delete right, finds it gone.
		if merge and old == frappe.flags.get("fusion_autorisee"):
			frappe.delete_doc("Beneficiaire", old, ignore_permissions=True)


def doublons_du_dossier(valeurs: dict) -> list[frappe._dict]:
	"""Files of the structure that may be the person of these values (a file's fields): the
	import's matching (imports/doublons.py), on the same identity as the import reads an existing
	file — names, birth name, birth date (or none), commune, phone, address; tolerant to accents,
	case, hyphens, compound first names, inverted day and month, one wrong letter. Certain and
	probable matches alike: the person creating the file is the one who confirms or not, as the
	import's review list does. Read through the indexed columns."""
	from suivi_social.imports.doublons import dossiers_correspondants, identite_du_dossier

	if not valeurs.get("structure") or not (valeurs.get("nom_usage") or valeurs.get("nom_naissance")):
		return []
	return [
		frappe._dict(
			name=dossier.name, nom_complet=dossier.nom_complet, niveau=verdict.niveau, raison=verdict.raison
		)
		for dossier, verdict in dossiers_correspondants(
			valeurs["structure"], identite_du_dossier(valeurs), exclure=valeurs.get("name")
		)
	]


def trouver_doublons(
	structure: str,
	nom_usage: str,
	prenoms: str,
	date_naissance=None,
	exclure: str | None = None,
	nom_naissance: str | None = None,
	**autres,
) -> list[frappe._dict]:
	"""doublons_du_dossier for the values of a file being typed (`autres`: commune, telephone,
	telephone_2, adresse)."""
	return doublons_du_dossier(
		{
			"structure": structure,
			"name": exclure,
			"nom_usage": nom_usage,
			"prenoms": prenoms,
			"nom_naissance": nom_naissance,
			"date_naissance": date_naissance,
			**autres,
		}
	)


def rafraichir_synthese(beneficiaire: str) -> None:
	"""Last contact, next appointment and open requests, stored on the file for lists and search."""
	if not beneficiaire or not frappe.db.exists("Beneficiaire", beneficiaire):
		return
	frappe.db.set_value(
		"Beneficiaire", beneficiaire, syntheses([beneficiaire])[beneficiaire], update_modified=False
	)


def syntheses(beneficiaires: list[str], maintenant=None) -> dict[str, dict]:
	"""The summary of each of these files from its accompaniments, read in one query (for a batch
	of the legacy import)."""
	from frappe.utils import now_datetime

	par_dossier: dict[str, list] = {nom: [] for nom in beneficiaires}
	if par_dossier:
		for accompagnement in frappe.get_all(
			"Accompagnement",
			filters={"beneficiaire": ("in", list(par_dossier)), "statut": ("!=", "Annulé")},
			fields=["beneficiaire", "date", "heure", "statut"],
		):
			par_dossier[accompagnement.beneficiaire].append(accompagnement)
	maintenant = maintenant or now_datetime()
	return {
		nom: calculer_synthese(accompagnements, maintenant) for nom, accompagnements in par_dossier.items()
	}


def calculer_synthese(accompagnements, maintenant) -> dict:
	"""The summary fields from the file's accompaniments (objects or dicts with date, heure, statut;
	cancelled ones excluded). Also used by the import for the files it creates."""
	from frappe.utils import get_datetime

	accompagnements = [frappe._dict(a) for a in accompagnements if a.get("statut") != "Annulé"]
	passes = [
		getdate(a.date)
		for a in accompagnements
		if a.statut != "Planifié" and getdate(a.date) <= maintenant.date()
	]
	rendez_vous = sorted(
		get_datetime(f"{a.date} {a.heure or '00:00:00'}")
		for a in accompagnements
		if a.statut == "Planifié" and getdate(a.date) >= maintenant.date()
	)
	return {
		"dernier_contact": max(passes) if passes else None,
		"prochain_rendez_vous": rendez_vous[0] if rendez_vous else None,
		"demandes_en_cours": sum(1 for a in accompagnements if a.statut in ("À traiter", "En cours")),
	}


LOT_DE_SYNTHESES = 500


def rafraichir_syntheses_echues(valider: bool = True) -> None:
	"""Daily: a stored next appointment that is now past is replaced by the following one.

	By batches, each summary read in one query and committed (`valider`): one transaction over every
	such file held its locks for minutes on the 100,000-file benchmark and blocked a migration
	started meanwhile (benchmarks/README.md § 6). A test passes valider=False to keep its rollback."""
	from frappe.utils import now_datetime

	maintenant = now_datetime()
	echus = frappe.get_all("Beneficiaire", filters={"prochain_rendez_vous": ("<", maintenant)}, pluck="name")
	for debut in range(0, len(echus), LOT_DE_SYNTHESES):
		lot = echus[debut : debut + LOT_DE_SYNTHESES]
		for name, valeurs in syntheses(lot, maintenant).items():
			frappe.db.set_value("Beneficiaire", name, valeurs, update_modified=False)
		if valider:
			frappe.db.commit()


def on_doctype_update():
	"""Every lookup of files is within a structure: the duplicate check, the import's matching and
	the reception search ask for a birth date or a name key in one structure. With these composite
	indexes MariaDB reads only the matching rows of that structure, instead of choosing the
	`structure` index and filtering all of its files (seen with EXPLAIN on a small table)."""
	frappe.db.add_index("Beneficiaire", ["structure", "date_naissance"])
	frappe.db.add_index("Beneficiaire", ["structure", "nom_recherche"])
	# The workspace's figures (dossiers/tableau_de_bord.py) count a structure's active files, by age,
	# genre, situation and commune, and its files created this month: each from one index alone.
	for colonnes in (
		["structure", "statut", "date_naissance"],
		["structure", "statut", "genre"],
		["structure", "statut", "situation_familiale"],
		["structure", "statut", "commune"],
		["structure", "creation"],
	):
		frappe.db.add_index("Beneficiaire", colonnes)
