import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import date_diff, flt, get_time, getdate

from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import rafraichir_synthese
from suivi_social.utils.erreurs import refuser

DECISIONS_ACCORDEES = ("Accordée", "Accordée partiellement")


class Accompagnement(Document):
	# The structure is the file's (fetch_from), guarded with every link and agent by
	# permissions.structure.garde_structure.
	def validate(self):
		self.set_heure_a_la_minute()
		self.validate_types()
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

	def set_heure_a_la_minute(self):
		"""The desk's time picker shows hours and minutes, and rewrites a stored 10:15:37.52 as
		10:15:00 on opening, leaving the form « Non sauvegardé » before anyone touched it."""
		if self.heure:
			self.heure = get_time(self.heure).replace(second=0, microsecond=0).strftime("%H:%M:%S")

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
