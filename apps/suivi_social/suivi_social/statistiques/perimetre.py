"""What the statistics count, over which period and structure, and what the user may see.

- Activity: an accompaniment counts when it took place or is being handled — statut « À traiter »,
  « En cours » or « Terminé », and not an appointment « Non honoré ». Not counted: « Planifié »
  (yet to happen, or its outcome not recorded: the Rendez-vous report lists those as « à
  renseigner »), « Annulé », and missed appointments (Accompagnement.validate_rendez_vous).
- A beneficiary is « accompagné » in a period when at least one of their accompaniments counted
  as activity is dated in it, whatever the file's statut today: an archived file is kept in the
  periods where it was accompanied. Each person is counted once (count distinct).
- « Nouveau » in a period: accompanied in it and never before its first day; « déjà suivi »:
  accompanied in it and also before.
- An empty value is shown as « Non renseigné », never dropped.
"""

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import formatdate, getdate

from suivi_social.permissions.structure import may_access
from suivi_social.roles import ADMINISTRATEUR, RESPONSABLE

STATUTS_REALISES = ("À traiter", "En cours", "Terminé")
ISSUE_NON_HONOREE = "Non honoré"
NON_RENSEIGNE = "Non renseigné"
# The first year a yearly report may be asked for.
PREMIERE_ANNEE = 2000

# Who may produce the yearly activity report (the page and its downloads).
ROLES_RAPPORT_ANNUEL = {RESPONSABLE, ADMINISTRATEUR, "System Manager"}


class PeriodeInvalide(frappe.ValidationError):
	"""The period of a statistic is missing or reversed."""


@dataclass(frozen=True)
class Perimetre:
	"""A period (both days included) and optional structure, agent and mode."""

	debut: date
	fin: date
	structure: str | None = None
	agent: str | None = None
	mode: str | None = None

	@classmethod
	def depuis_filtres(cls, filtres: dict | None) -> "Perimetre":
		"""From a report's filters (date_debut, date_fin, structure, agent, mode); checked."""
		filtres = frappe._dict(filtres or {})
		if not filtres.get("date_debut") or not filtres.get("date_fin"):
			frappe.throw(_("Indiquez le début et la fin de la période."), PeriodeInvalide)
		return cls(
			debut=getdate(filtres.date_debut),
			fin=getdate(filtres.date_fin),
			structure=filtres.get("structure") or None,
			agent=filtres.get("agent") or None,
			mode=filtres.get("mode") or None,
		).verifie()

	@classmethod
	def annee(cls, annee: int, structure: str | None) -> "Perimetre":
		return cls(debut=date(annee, 1, 1), fin=date(annee, 12, 31), structure=structure).verifie()

	def verifie(self) -> "Perimetre":
		if self.debut > self.fin:
			frappe.throw(_("La période commence après sa fin."), PeriodeInvalide)
		verifier_structure(self.structure)
		return self

	def filtres(self, *, realises: bool = True, debut: date | None = None, fin: date | None = None) -> list:
		"""`frappe.get_list` filters on Accompagnement for this perimeter (or another period)."""
		# « between »: the one date filter Frappe writes without ifnull(), so that the range is read
		# from the (structure, date, …) index (Accompagnement.on_doctype_update).
		filtres = [["Accompagnement", "date", "between", [str(debut or self.debut), str(fin or self.fin)]]]
		if realises:
			filtres += [
				["Accompagnement", "statut", "in", STATUTS_REALISES],
				["Accompagnement", "issue_rendez_vous", "!=", ISSUE_NON_HONOREE],
			]
		for champ in ("structure", "agent", "mode"):
			if self.get(champ):
				filtres.append(["Accompagnement", champ, "=", self.get(champ)])
		return filtres

	def get(self, champ: str):
		return getattr(self, champ)

	def libelle(self) -> str:
		return _("du {0} au {1}").format(formatdate(self.debut), formatdate(self.fin))


def verifier_structure(structure: str | None) -> None:
	"""The structure criterion, before anything is read: a structure that is not the user's is
	refused (HTTP 403), whether it exists or not."""
	if structure and (not may_access(structure) or not frappe.db.exists("Structure", structure)):
		frappe.throw(
			_("La structure « {0} » ne vous est pas accessible.").format(structure), frappe.PermissionError
		)


def verifier_role_rapport_annuel() -> None:
	"""Checked explicitly: `frappe.only_for` does nothing in tests (STYLE.md)."""
	if not ROLES_RAPPORT_ANNUEL.intersection(frappe.get_roles()):
		frappe.throw(
			_("Le rapport d'activité est réservé aux responsables de structure et aux administrateurs."),
			frappe.PermissionError,
		)


def peut_lire_champ(doctype: str, fieldname: str, user: str | None = None) -> bool:
	"""Whether the user may read this field (its permlevel, as customised on the site)."""
	meta = frappe.get_meta(doctype)
	df = meta.get_field(fieldname)
	return bool(df) and df.permlevel in meta.get_permlevel_access("read", user=user)


def voit_montants(user: str | None = None) -> bool:
	"""Amounts of aids: permlevel 1 of Accompagnement (never the Agent d'accueil)."""
	return all(
		peut_lire_champ("Accompagnement", champ, user)
		for champ in ("montant_demande", "montant_accorde", "date_paiement")
	)


def voit_ressources(user: str | None = None) -> bool:
	"""The resources table of the file: permlevel 1 of Beneficiaire. Checked here because
	`frappe.get_list` checks a child table's own fields, not the level of the table field."""
	return peut_lire_champ("Beneficiaire", "ressources", user)


def structures_accessibles() -> list[dict]:
	"""The structures the user may pick (their own; every one for an administrator)."""
	return frappe.get_list(
		"Structure", fields=["name"], filters={"actif": 1}, order_by="name asc", limit_page_length=0
	)
