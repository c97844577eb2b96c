import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import make_autoname
from frappe.utils import add_years, date_diff, getdate, today

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
		self.validate_dates()
		self.validate_contact()
		self.validate_nir()
		self.validate_entourage()
		self.set_cles_recherche()
		self.validate_doublon()

	def set_nom_complet(self):
		self.nom_usage = " ".join((self.nom_usage or "").split())
		self.prenoms = " ".join((self.prenoms or "").split())
		self.nom_complet = f"{self.nom_usage.upper()} {self.prenoms}".strip()

	def validate_dates(self):
		if self.date_naissance:
			naissance = getdate(self.date_naissance)
			if naissance > getdate(today()):
				refuser(self, "date_naissance", _("ne peut pas être dans le futur"))
			if naissance < getdate(add_years(today(), -AGE_MAXIMUM)):
				refuser(
					self, "date_naissance", _("ne peut pas remonter à plus de {0} ans").format(AGE_MAXIMUM)
				)
		if self.date_deces:
			if getdate(self.date_deces) > getdate(today()):
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
		if self.doublon_confirme or not self.date_naissance:
			return
		if not (
			self.is_new()
			or self.has_value_changed("nom_recherche")
			or self.has_value_changed("date_naissance")
		):
			return
		doublons = trouver_doublons(
			self.structure,
			self.nom_usage,
			self.prenoms,
			self.date_naissance,
			exclure=self.name,
			nom_naissance=self.nom_naissance,
		)
		if doublons:
			liens = ", ".join(
				f'<a href="/app/beneficiaire/{d.name}">{frappe.utils.escape_html(d.name)} ({frappe.utils.escape_html(d.nom_complet)})</a>'
				for d in doublons
			)
			frappe.throw(
				_(
					"Un dossier existe peut-être déjà pour cette personne (même nom, prénom et date de "
					"naissance) : {0}. Ouvrez-le, ou confirmez qu'il s'agit d'une autre personne."
				).format(liens),
				exc=DoublonProbable,
				title=_("Doublon probable"),
			)


def trouver_doublons(
	structure: str,
	nom_usage: str,
	prenoms: str,
	date_naissance,
	exclure: str | None = None,
	nom_naissance: str | None = None,
):
	"""Files of the structure that are certainly the same person: the import's matching
	(imports/doublons.py), tolerant to accents, case, hyphens, compound first names, a birth name
	and inverted day and month; read through the indexed columns."""
	from suivi_social.imports.doublons import CERTAIN, Identite, dossiers_correspondants

	identite = Identite(
		nom=nom_usage or "",
		prenoms=prenoms or "",
		nom_naissance=nom_naissance or "",
		date_naissance=getdate(date_naissance) if date_naissance else None,
	)
	return [
		frappe._dict(name=dossier.name, nom_complet=dossier.nom_complet)
		for dossier, verdict in dossiers_correspondants(structure, identite, exclure=exclure)
		if verdict.niveau == CERTAIN and not verdict.sans_date
	]


def rafraichir_synthese(beneficiaire: str) -> None:
	"""Last contact, next appointment and open requests, stored on the file for lists and search."""
	from frappe.utils import now_datetime

	if not beneficiaire or not frappe.db.exists("Beneficiaire", beneficiaire):
		return
	accompagnements = frappe.get_all(
		"Accompagnement",
		filters={"beneficiaire": beneficiaire, "statut": ("!=", "Annulé")},
		fields=["date", "heure", "statut"],
	)
	frappe.db.set_value(
		"Beneficiaire",
		beneficiaire,
		calculer_synthese(accompagnements, now_datetime()),
		update_modified=False,
	)


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


def rafraichir_syntheses_echues() -> None:
	"""Daily: a stored next appointment that is now past is replaced by the following one."""
	from frappe.utils import now_datetime

	for name in frappe.get_all(
		"Beneficiaire", filters={"prochain_rendez_vous": ("<", now_datetime())}, pluck="name"
	):
		rafraichir_synthese(name)


def on_doctype_update():
	"""Every lookup of files is within a structure: the duplicate check, the import's matching and
	the reception search ask for a birth date or a name key in one structure. With these composite
	indexes MariaDB reads only the matching rows of that structure, instead of choosing the
	`structure` index and filtering all of its files (seen with EXPLAIN on a small table)."""
	frappe.db.add_index("Beneficiaire", ["structure", "date_naissance"])
	frappe.db.add_index("Beneficiaire", ["structure", "nom_recherche"])
