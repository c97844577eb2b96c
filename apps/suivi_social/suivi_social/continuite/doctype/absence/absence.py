import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import formatdate

from suivi_social.api.equipe import ROLES_DE_STRUCTURE
from suivi_social.roles import RESPONSABLE, TRAVAILLEUR_SOCIAL
from suivi_social.utils.erreurs import refuser

# Roles that may read a Compte Rendu Prive at all (its DocType permissions).
ROLES_COMPTES_RENDUS = {RESPONSABLE, TRAVAILLEUR_SOCIAL}


class AbsenceInvalide(frappe.ValidationError):
	"""An absence that cannot be recorded as entered (dates, colleague, overlap, sharing)."""


class Absence(Document):
	"""An agent's absence and the colleague who covers them.

	No reason (motif) is recorded: every agent of the structure sees who is away and who covers,
	and a sick leave is nobody's business. Who may record it (the agent, or a Responsable of the
	structure) is a permission rule: permissions/absence.py. The structure and the two users being
	agents of it are checked for every DocType by permissions.structure.garde_structure."""

	def validate(self):
		self.validate_agent()
		self.validate_dates()
		self.validate_remplacant()
		self.validate_chevauchement()
		self.validate_remplacant_present()
		self.validate_partage()
		self.signaler_remplacements_en_chaine()

	def validate_agent(self):
		if not self.is_new() and self.has_value_changed("agent"):
			refuser(self, "agent", _("ne peut pas changer : supprimez cette absence et créez-en une autre"))

	def validate_dates(self):
		if self.du and self.au and self.au < self.du:
			refuser(self, "au", _("ne peut pas précéder la date de début"), exc=AbsenceInvalide)

	def validate_remplacant(self):
		if self.remplacant == self.agent:
			refuser(
				self, "remplacant", _("l'agent absent ne peut pas se remplacer lui-même"), exc=AbsenceInvalide
			)
		user = frappe.db.get_value("User", self.remplacant, ["enabled", "full_name"], as_dict=True)
		if not user or not user.enabled:
			refuser(
				self,
				"remplacant",
				_("{0} n'est pas un compte actif").format(self.remplacant),
				exc=AbsenceInvalide,
			)
		if not set(frappe.get_roles(self.remplacant)) & set(ROLES_DE_STRUCTURE):
			refuser(
				self,
				"remplacant",
				_("{0} n'a pas de rôle dans la structure ({1})").format(
					user.full_name, ", ".join(_(r) for r in ROLES_DE_STRUCTURE)
				),
				exc=AbsenceInvalide,
			)

	def autres_absences(self, user: str) -> list[frappe._dict]:
		"""The absences of `user` that share at least one day with this one (every structure: an
		agent absent is absent everywhere)."""
		return frappe.get_all(
			"Absence",
			filters={
				"agent": user,
				"du": ("<=", self.au),
				"au": (">=", self.du),
				"name": ("!=", self.name or ""),
			},
			fields=["name", "du", "au", "structure", "remplacant"],
			order_by="du asc",
		)

	def validate_chevauchement(self):
		for autre in self.autres_absences(self.agent):
			if autre.structure == self.structure:
				message = _(
					"une autre absence de cet agent couvre déjà la période du {0} au {1} ({2})"
				).format(formatdate(autre.du), formatdate(autre.au), autre.name)
			else:
				# Another structure's record: say that it exists, nothing about it.
				message = _("une autre absence de cet agent est déjà enregistrée sur ces dates")
			refuser(self, "du", message, exc=AbsenceInvalide)

	def validate_remplacant_present(self):
		if (
			self.has_value_changed("remplacant")
			or self.has_value_changed("du")
			or self.has_value_changed("au")
		):
			for autre in self.autres_absences(self.remplacant):
				refuser(
					self,
					"remplacant",
					_("{0} est absent(e) du {1} au {2} : choisissez un collègue présent").format(
						frappe.utils.get_fullname(self.remplacant), formatdate(autre.du), formatdate(autre.au)
					),
					exc=AbsenceInvalide,
				)

	def validate_partage(self):
		"""Sharing the private reports is the absent agent's own choice, for the colleague they chose.

		Anyone may untick it. Ticking it, or changing the colleague while it is ticked, is the agent's
		act only: a Responsable who changes the colleague must untick it (the agent may tick it again)."""
		if not self.partager_comptes_rendus:
			return
		change = self.is_new() or self.has_value_changed("partager_comptes_rendus")
		if (change or self.has_value_changed("remplacant")) and frappe.session.user != self.agent:
			refuser(
				self,
				"partager_comptes_rendus",
				_("seul(e) l'agent absent peut partager ses comptes rendus privés"),
				exc=AbsenceInvalide,
			)
		if not set(frappe.get_roles(self.remplacant)) & ROLES_COMPTES_RENDUS:
			refuser(
				self,
				"partager_comptes_rendus",
				_("{0} ne peut pas lire de comptes rendus privés (rôle {1})").format(
					frappe.utils.get_fullname(self.remplacant),
					", ".join(_(r) for r in frappe.get_roles(self.remplacant) if r in ROLES_DE_STRUCTURE),
				),
				exc=AbsenceInvalide,
			)

	def signaler_remplacements_en_chaine(self):
		"""The agent covers a colleague during these days: say where that colleague's work goes."""
		couverts = frappe.get_all(
			"Absence",
			filters={"remplacant": self.agent, "du": ("<=", self.au), "au": (">=", self.du)},
			pluck="agent",
		)
		for agent in couverts:
			frappe.msgprint(
				_(
					"{0} remplace {1} pendant une partie de ces dates : le travail de {1} ira à {2} "
					"pendant cette absence."
				).format(
					frappe.utils.get_fullname(self.agent),
					frappe.utils.get_fullname(agent),
					frappe.utils.get_fullname(self.remplacant),
				),
				title=_("Remplacement en chaîne"),
				indicator="orange",
				alert=True,
			)


def on_doctype_update():
	"""remplacant() and absence_en_cours() look an agent's absence up by day."""
	frappe.db.add_index("Absence", ["agent", "du", "au"])
