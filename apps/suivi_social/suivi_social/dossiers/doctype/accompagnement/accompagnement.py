import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, date_diff, flt, get_time, getdate, today

from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import rafraichir_synthese
from suivi_social.dossiers.rendez_vous import valider_rendez_vous
from suivi_social.utils.erreurs import refuser

DECISIONS_ACCORDEES = ("Accordée", "Accordée partiellement")

# Modes that are appointments by nature: an accompaniment in one of them is « Sur rendez-vous ».
MODES_RENDEZ_VOUS = ("Accueil physique sur rendez-vous", "Rendez-vous extérieur", "Visite à domicile")
# Outcomes that say the appointment's time has come (the person came, or did not).
ISSUES_PASSEES = ("Honoré", "Non honoré")


class Accompagnement(Document):
	# The structure is the file's (fetch_from), guarded with every link and agent by
	# permissions.structure.garde_structure.
	def validate(self):
		self.set_heure_a_la_minute()
		self.validate_types()
		self.validate_rendez_vous()
		valider_rendez_vous(self)  # end after start, no overlap in the agent's agenda (rendez_vous.py)
		self.validate_dates()
		self.validate_aide()

	def validate_types(self):
		self.aide_financiere = 0
		anciens = set()
		if not self.is_new():
			before = self.get_doc_before_save()
			anciens = {row.type_accompagnement for row in (before.types_accompagnement if before else [])}
		for row in self.types_accompagnement:
			typ = frappe.db.get_value(
				"Type Accompagnement",
				row.type_accompagnement,
				["nom", "actif", "aide_financiere"],
				as_dict=True,
			)
			if not typ:
				refuser(row, "type_accompagnement", _("« {0} » n'existe pas").format(row.type_accompagnement))
			if not typ.actif and row.type_accompagnement not in anciens:
				refuser(row, "type_accompagnement", _("« {0} » n'est plus actif").format(typ.nom))
			if typ.aide_financiere:
				self.aide_financiere = 1
		self.resumer_types()

	def resumer_types(self):
		"""The types in two columns of the accompaniment itself, for the statistics per type
		(tableau_de_bord.py, statistiques/agregats.py): the single type of most accompaniments is
		counted from a covering index of this table, and only those with several types are joined
		to their Type Accompagnement Lien rows (5 times less time for the workspace's chart on a
		year of 100,000 accompaniments, benchmarks/statistiques.py). Kept here, where the types are
		saved; rows written without a save (bulk import, benchmark generator) set them alike, the
		patch resumer_types_des_accompagnements filled the rows written before."""
		types = {row.type_accompagnement for row in self.types_accompagnement if row.type_accompagnement}
		self.typologie_seule = next(iter(types)) if len(types) == 1 else None
		self.plusieurs_typologies = int(len(types) > 1)

	def set_heure_a_la_minute(self):
		"""The desk's time picker shows hours and minutes, and rewrites a stored 10:15:37.52 as
		10:15:00 on opening, leaving the form « Non sauvegardé » before anyone touched it."""
		if self.heure:
			self.heure = get_time(self.heure).replace(second=0, microsecond=0).strftime("%H:%M:%S")

	def validate_rendez_vous(self):
		"""The appointment (`rendez_vous`) and its outcome (`issue_rendez_vous`), kept coherent with
		`statut` by one rule each:

		1. An accompaniment « Planifié », or in a mode that is an appointment by nature
		   (MODES_RENDEZ_VOUS), is an appointment; any other may be ticked by hand (a phone interview
		   at a set time). Only an appointment has an outcome.
		2. « Annulé » is one fact in both fields: cancelling the accompaniment cancels the appointment
		   and the other way round; un-cancelling one (the field that changed wins) takes it out of
		   the other.
		3. « Honoré » / « Non honoré » say the appointment's time has come: refused for a future date,
		   and a « Planifié » appointment whose outcome is recorded is no longer planned: it becomes
		   « Terminé » (the agent may then set « À traiter » or « En cours » for what follows).
		4. Re-planning (statut set back to « Planifié », outcome untouched) clears the outcome.

		The statistics count an appointment « Non honoré » neither as activity nor as a person
		accompanied (statistiques/perimetre.py)."""
		self.rendez_vous = int(
			self.mode in MODES_RENDEZ_VOUS or self.statut == "Planifié" or cint(self.get("rendez_vous"))
		)
		if not self.rendez_vous:
			self.issue_rendez_vous = None
			return
		statut_change = self.has_value_changed("statut")
		issue_change = self.has_value_changed("issue_rendez_vous")
		# Rule 2: the field the user changed decides.
		if self.issue_rendez_vous == "Annulé" and issue_change:
			self.statut = "Annulé"
		elif self.statut == "Annulé" and statut_change:
			self.issue_rendez_vous = "Annulé"
		elif self.statut == "Annulé":
			self.statut = "Terminé" if self.issue_rendez_vous in ISSUES_PASSEES else "Planifié"
		elif self.issue_rendez_vous == "Annulé":
			self.issue_rendez_vous = None
		if self.issue_rendez_vous not in ISSUES_PASSEES:
			return
		if self.statut == "Planifié" and statut_change and not issue_change:
			self.issue_rendez_vous = None  # rule 4
			return
		if getdate(self.date) > getdate(today()):
			refuser(
				self,
				"issue_rendez_vous",
				_("un rendez-vous à venir ne peut pas être « {0} »").format(_(self.issue_rendez_vous)),
			)
		if self.statut == "Planifié":
			self.statut = "Terminé"  # rule 3

	def validate_dates(self):
		if self.date_echeance and date_diff(self.date_echeance, self.date) < 0:
			refuser(self, "date_echeance", _("ne peut pas précéder la date de l'accompagnement"))
		if self.statut == "Planifié" and not self.heure and self.mode == "Accueil physique sur rendez-vous":
			refuser(self, "heure", _("est obligatoire pour un rendez-vous planifié"))

	def validate_aide(self):
		for fieldname in ("montant_demande", "montant_accorde"):
			if flt(self.get(fieldname)) < 0:
				refuser(self, fieldname, _("ne peut pas être négatif"))
		if not self.aide_financiere:
			return
		for fieldname in ("date_commission", "date_decision", "date_paiement"):
			if self.get(fieldname) and date_diff(self.get(fieldname), self.date) < 0:
				refuser(
					self,
					fieldname,
					_("ne peut pas précéder l'ouverture de la demande ({0})").format(
						frappe.format(self.date, {"fieldtype": "Date"})
					),
				)
		if (
			self.date_paiement
			and self.date_decision
			and date_diff(self.date_paiement, self.date_decision) < 0
		):
			refuser(self, "date_paiement", _("ne peut pas précéder la date de la décision"))
		if self.decision == "Refusée":
			if flt(self.montant_accorde):
				refuser(self, "montant_accorde", _("doit rester vide quand l'aide est refusée"))
			if self.date_paiement:
				refuser(self, "date_paiement", _("doit rester vide quand l'aide est refusée"))
		if self.decision not in DECISIONS_ACCORDEES and (self.date_paiement or self.mode_paiement):
			refuser(
				self,
				"date_paiement" if self.date_paiement else "mode_paiement",
				_("suppose une aide accordée"),
			)
		if (
			flt(self.montant_accorde) > flt(self.montant_demande)
			and flt(self.montant_demande)
			and not frappe.db.get_value("Structure", self.structure, "autoriser_depassement_montant")
		):
			refuser(
				self,
				"montant_accorde",
				_(
					"ne peut pas dépasser le montant demandé ({0}) ; le responsable de la structure peut l'autoriser dans ses réglages"
				).format(frappe.format(self.montant_demande, {"fieldtype": "Currency", "options": "EUR"})),
			)

	def on_update(self):
		rafraichir_synthese(self.beneficiaire)
		before = self.get_doc_before_save()
		if before and before.beneficiaire != self.beneficiaire:
			rafraichir_synthese(before.beneficiaire)

	def on_trash(self):
		frappe.db.delete("Compte Rendu Prive", {"accompagnement": self.name})

	def after_delete(self):
		rafraichir_synthese(self.beneficiaire)


# The columns the statistics filter and count on (statistiques/), after the two they range over,
# and the same for the aids with their decision and amounts.
COLONNES_STATISTIQUES = (
	"structure",
	"date",
	"statut",
	"issue_rendez_vous",
	"rendez_vous",
	"aide_financiere",
	"agent",
	"beneficiaire",
)
# The statistics per type: an accompaniment with one type by that type (an equality on
# plusieurs_typologies, then the date range), one with several through its Lien rows.
COLONNES_STATISTIQUES_TYPES = (
	"structure",
	"plusieurs_typologies",
	"date",
	"statut",
	"issue_rendez_vous",
	"typologie_seule",
	"beneficiaire",
)
COLONNES_STATISTIQUES_AIDES = (
	"structure",
	"aide_financiere",
	"date",
	"statut",
	"issue_rendez_vous",
	"decision",
	"montant_demande",
	"montant_accorde",
	"date_paiement",
)


def on_doctype_update():
	"""Every statistic reads a structure's accompaniments over a period (statistiques/). With these
	covering indexes MariaDB reads only that range of an index — every column the counts and sums
	need is in it, the name (primary key) too — instead of the table's rows. On 1M accompaniments
	(EXPLAIN, 128 MB buffer pool): `type=ALL` with the single-column indexes, 17 s for a year's
	monthly counts, 0.25 s with the first one; the aids' sums 15 s → 2 s with the second.
	Each statistic query uses one of them; the column lists stay under InnoDB's 3,072-byte key."""
	frappe.db.add_index("Accompagnement", list(COLONNES_STATISTIQUES), "statistiques_structure_date")
	frappe.db.add_index("Accompagnement", list(COLONNES_STATISTIQUES_AIDES), "statistiques_aides")
	frappe.db.add_index("Accompagnement", list(COLONNES_STATISTIQUES_TYPES), "statistiques_types")
	# The workspace's « Aides accordées cette année » card (dossiers/tableau_de_bord.py): the amounts
	# granted in a structure's year, by decision date.
	frappe.db.add_index(
		"Accompagnement",
		["structure", "decision", "date_decision", "date", "montant_accorde"],
		"aides_structure_decision",
	)
