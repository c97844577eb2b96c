"""A small hand-built dataset for the workspace's cards and charts, in two structures of its own.

« Tableau A » holds the figures the tests check; « Tableau B » holds what must never show up in A's
figures (and the reverse). Built once per session and committed (the HTTP tests read it from other
connections): each session first deletes what an earlier run left in these two structures, then
builds it again — the dates are relative to the day the tests run (this month, this year).

What A holds (T = today, M1 = the first day of last month, FIN_N1 = 31 December of last year):
- files: b1 (24 today: turns 25 tomorrow), b2 (25 today), b3 (40), b4 (70), b5 (no date of birth),
  all « Actif »; b6 « Inactif », b7 « Archivé », b8 « Décédé ». b6 and b8 were created last month,
  the others this month;
- accompaniments: a1–a3, a8, a10 on T, counted; a4 « Planifié » and a5 « Annulé » on T, a9 an
  appointment « Non honoré » on T, not counted; a6 on M1; a7 thirteen months ago (out of the chart);
  a8 has lost its types (« Non renseigné »);
- aids (type « Aide d'urgence »): g1 granted 300 € decided on T; g2 granted 150,50 € on T without
  a decision date; g3 granted 1 200 € opened on FIN_N1 and decided on T; g4 2 500 € opened and
  decided on FIN_N1; g5 4 500 € opened on FIN_N1 without a decision date; g6 refused on T
  (g1, g2, g6 on T count as activity, g3–g5 on FIN_N1 too);
- rappels: r1 (due yesterday) and r2 (ten days ago) to do, late; r3 due today and r4 tomorrow, to do;
  r5 done and r6 cancelled, both past due.
"""

from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_days, add_months, add_years, get_first_day, getdate, today

from suivi_social.roles import AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.factories import make_structure, make_type, make_user

A = "Tableau A"
B = "Tableau B"
DOMAINE = "tableau.test"

# key -> (e-mail, role, structures)
COMPTES = {
	"resp_a": (f"resp-a@{DOMAINE}", RESPONSABLE, (A,)),
	"ts_a": (f"ts-a@{DOMAINE}", TRAVAILLEUR_SOCIAL, (A,)),
	"acc_a": (f"accueil-a@{DOMAINE}", AGENT_ACCUEIL, (A,)),
	"resp_b": (f"resp-b@{DOMAINE}", RESPONSABLE, (B,)),
	"ts_b": (f"ts-b@{DOMAINE}", TRAVAILLEUR_SOCIAL, (B,)),
}

DOM, AIDE, LOG = "Domiciliation", "Aide d'urgence", "Logement"


class Dates:
	"""The days the dataset is placed on, from the day the tests run."""

	def __init__(self):
		self.t = getdate(today())
		self.m1 = getdate(add_months(get_first_day(self.t), -1))
		self.m13 = getdate(add_months(get_first_day(self.t), -13))
		self.fin_n1 = date(self.t.year, 1, 1) - timedelta(days=1)

	def naissance(self, age: int, demain: bool = False) -> date:
		"""A date of birth: `age` years old today (birthday today, or tomorrow with demain)."""
		jour = getdate(add_years(self.t, -age))
		return getdate(add_days(jour, 1)) if demain else jour


def nettoyer() -> None:
	for structure in (A, B):
		if not frappe.db.exists("Structure", structure):
			continue
		accompagnements = frappe.get_all("Accompagnement", {"structure": structure}, pluck="name")
		for name in frappe.get_all(
			"Compte Rendu Prive", {"accompagnement": ("in", accompagnements or [""])}, pluck="name"
		):
			frappe.delete_doc("Compte Rendu Prive", name, force=True, ignore_permissions=True)
		for doctype in ("Rappel", "Accompagnement", "Beneficiaire", "Type Accompagnement"):
			for name in frappe.get_all(doctype, {"structure": structure}, pluck="name"):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)


class JeuTableauDeBord:
	def __init__(self):
		self.dates = d = Dates()
		self.a = make_structure(A, "TBA")
		self.b = make_structure(B, "TBB")
		self.comptes = {
			cle: make_user(email, role, structures=structures)
			for cle, (email, role, structures) in COMPTES.items()
		}
		ts_a, ts_b = self.comptes["ts_a"], self.comptes["ts_b"]
		self.types_a = {nom: make_type(A, nom, aide_financiere=int(nom == AIDE)) for nom in (DOM, AIDE, LOG)}
		self.types_b = {nom: make_type(B, nom, aide_financiere=int(nom == AIDE)) for nom in (DOM, AIDE)}

		# --- A: files
		f = self.dossier
		self.b1 = f(
			A,
			"Alpha",
			d.naissance(25, demain=True),
			genre="Femme",
			commune="Démoville",
			situation_familiale="Célibataire",
		)
		self.b2 = f(
			A, "Bravo", d.naissance(25), genre="Homme", commune="Démoville", situation_familiale="Marié(e)"
		)
		self.b3 = f(A, "Charlie", d.naissance(40), genre="Femme", commune="Autreville")
		self.b4 = f(A, "Delta", d.naissance(70), situation_familiale="Veuf ou veuve")
		self.b5 = f(A, "Echo", None, genre="Autre", commune="Démoville", situation_familiale="Divorcé(e)")
		self.b6 = f(
			A,
			"Foxtrot",
			d.naissance(30),
			statut="Inactif",
			genre="Femme",
			commune="Démoville",
			situation_familiale="Célibataire",
		)
		self.b7 = f(A, "Golf", d.naissance(50), statut="Archivé", genre="Homme", commune="Autreville")
		self.b8 = f(
			A,
			"Hotel",
			d.naissance(80),
			statut="Décédé",
			date_deces=str(d.t),
			genre="Homme",
			commune="Démoville",
		)
		for ancien in (self.b6, self.b8):
			frappe.db.set_value(
				"Beneficiaire",
				ancien,
				"creation",
				datetime.combine(d.m1, datetime.min.time()),
				update_modified=False,
			)

		# --- A: accompaniments (types by name)
		s = self.suivi
		s(self.b1, [DOM], d.t, "Terminé")  # a1
		s(self.b2, [DOM, LOG], d.t, "En cours")  # a2
		s(self.b3, [LOG], d.t, "À traiter")  # a3
		s(self.b1, [DOM], d.t, "Planifié")  # a4
		s(self.b2, [DOM], d.t, "Annulé")  # a5
		s(self.b1, [DOM], d.m1, "Terminé")  # a6
		s(self.b1, [DOM], d.m13, "Terminé")  # a7
		a8 = s(self.b4, [LOG], d.t, "Terminé")
		# Like an accompaniment recorded before types were required: no Lien row, and so nothing in
		# the columns that sum its types up (Accompagnement.resumer_types).
		frappe.db.delete("Type Accompagnement Lien", {"parent": a8})
		frappe.db.set_value("Accompagnement", a8, {"typologie_seule": None, "plusieurs_typologies": 0})
		rendez_vous = {"mode": "Accueil physique sur rendez-vous", "heure": "10:00:00"}
		s(self.b5, [DOM], d.t, "Terminé", issue_rendez_vous="Non honoré", **rendez_vous)  # a9
		s(self.b5, [DOM], d.t, "Terminé", issue_rendez_vous="Honoré", **rendez_vous)  # a10
		aide = {"instruction": "En interne"}
		s(
			self.b1,
			[AIDE],
			d.t,
			"Terminé",
			decision="Accordée",
			montant_demande=500,
			montant_accorde=300,
			date_decision=str(d.t),
			**aide,
		)  # g1
		s(
			self.b2,
			[AIDE],
			d.t,
			"En cours",
			decision="Accordée partiellement",
			montant_demande=200,
			montant_accorde=150.5,
			**aide,
		)  # g2
		s(
			self.b3,
			[AIDE],
			d.fin_n1,
			"Terminé",
			decision="Accordée",
			montant_demande=1200,
			montant_accorde=1200,
			date_decision=str(d.t),
			**aide,
		)  # g3
		s(
			self.b3,
			[AIDE],
			d.fin_n1,
			"Terminé",
			decision="Accordée",
			montant_demande=2500,
			montant_accorde=2500,
			date_decision=str(d.fin_n1),
			**aide,
		)  # g4
		s(
			self.b4,
			[AIDE],
			d.fin_n1,
			"Terminé",
			decision="Accordée",
			montant_demande=4500,
			montant_accorde=4500,
			**aide,
		)  # g5
		s(self.b5, [AIDE], d.t, "Terminé", decision="Refusée", montant_demande=800, **aide)  # g6

		# --- A: rappels
		r = self.rappel
		r(A, ts_a, self.b1, add_days(d.t, -1), "À faire")
		r(A, ts_a, self.b2, add_days(d.t, -10), "À faire")
		r(A, ts_a, self.b3, d.t, "À faire")
		r(A, ts_a, self.b3, add_days(d.t, 1), "À faire")
		r(A, ts_a, self.b4, add_days(d.t, -3), "Fait")
		r(A, ts_a, self.b4, add_days(d.t, -3), "Annulé")

		# --- B: what A must never count
		self.c1 = f(B, "India", d.naissance(30), genre="Femme", commune="Villebis")
		self.c2 = f(B, "Juliett", d.naissance(60), genre="Homme", commune="Villebis")
		self.c3 = f(B, "Kilo", d.naissance(45), statut="Archivé", genre="Femme", commune="Villebis")
		s(self.c1, [DOM], d.t, "Terminé", agent=ts_b, catalogue=self.types_b)
		s(
			self.c2,
			[AIDE],
			d.t,
			"Terminé",
			agent=ts_b,
			catalogue=self.types_b,
			decision="Accordée",
			montant_demande=9999,
			montant_accorde=9999,
			date_decision=str(d.t),
			**aide,
		)
		r(B, ts_b, self.c1, add_days(d.t, -1), "À faire")

	def dossier(self, structure: str, nom: str, naissance: date | None, **valeurs) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Beneficiaire",
					"structure": structure,
					"nom_usage": nom,
					"prenoms": "Tableau",
					"date_naissance": str(naissance) if naissance else None,
					**valeurs,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def suivi(
		self,
		beneficiaire: str,
		types: list[str],
		jour: date,
		statut: str,
		agent=None,
		catalogue=None,
		**valeurs,
	) -> str:
		noms = catalogue or self.types_a
		valeurs.setdefault("mode", "Entretien téléphonique")
		return (
			frappe.get_doc(
				{
					"doctype": "Accompagnement",
					"beneficiaire": beneficiaire,
					"types_accompagnement": [{"type_accompagnement": noms[t]} for t in types],
					"date": str(jour),
					"statut": statut,
					"agent": agent or self.comptes["ts_a"],
					**valeurs,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def rappel(self, structure: str, agent: str, beneficiaire: str, echeance, statut: str) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Rappel",
					"titre": "Relancer",
					"structure": structure,
					"beneficiaire": beneficiaire,
					"assigne_a": agent,
					"date_echeance": str(echeance),
					"statut": statut,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)


def construire() -> JeuTableauDeBord:
	frappe.set_user("Administrator")
	nettoyer()
	jeu = JeuTableauDeBord()
	frappe.db.commit()
	return jeu
