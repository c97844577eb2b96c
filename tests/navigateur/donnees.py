"""Data of the browser tests: a structure of their own, its users, and the files the tests open.

Everything lives in the structure « CCAS Navigateur » (prefix NV), never in « CCAS Test A/B »:
what the browser creates is committed by the web server and must not disturb the other tests.
Each session first deletes what earlier runs left in that structure, then builds the world again.
"""

import frappe
from frappe.twofactor import get_otpsecret_for_
from frappe.utils.password import update_password

from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.factories import make_accompagnement, make_beneficiaire, make_structure, make_type, make_user, nir

STRUCTURE = "CCAS Navigateur"
PREFIXE = "NV"
DOMAINE = "navigateur.test"  # RFC 2606: never delivered
# Strong enough for the password policy (minimum score 3, install.SECURITY_SETTINGS).
MOT_DE_PASSE = "Nv-Chromium!2026-Kx9"

# role key -> (user, role, structures)
COMPTES = {
	"travailleur": (f"nv-travailleur@{DOMAINE}", TRAVAILLEUR_SOCIAL, (STRUCTURE,)),
	"responsable": (f"nv-responsable@{DOMAINE}", RESPONSABLE, (STRUCTURE,)),
	"accueil": (f"nv-accueil@{DOMAINE}", AGENT_ACCUEIL, (STRUCTURE,)),
	"administrateur": (f"nv-admin@{DOMAINE}", ADMINISTRATEUR, ()),
}

# Another structure of the site and its Responsable, whose traces the Responsable of « CCAS
# Navigateur » must never see (test_journal_acces.py). No password: nobody logs in as them.
STRUCTURE_VOISINE = "CCAS Navigateur Voisin"
PREFIXE_VOISIN = "NW"
RESPONSABLE_VOISIN = f"nv-voisin@{DOMAINE}"

# The colleague the Responsable invites (test_responsable.py), deleted before each session: a second
# Alice in the team, as happens in any CCAS.
INVITE = f"nv-alice.martin@{DOMAINE}"

TYPE_AIDE = "Aide financière d'urgence"
TYPE_SIMPLE = "Domiciliation"

# Values the Agent d'accueil must never see (tests/navigateur/test_accueil.py).
CONFIDENTIEL = {
	"nir": nir("2550375123456"),
	"sante_informations": "Diabète insulinodépendant suivi au CHU",
	"medecin_traitant": "Docteur Hippolyte Esculape",
	"mutuelle": "Mutuelle Discrétion Santé",
	"mandataire": "UDAF Mandataire Secrète",
	"numero_caf_msa": "CAF7734519",
	"numero_france_travail": "FT99128734",
	"montant_demande": 487.35,
	"montant_accorde": 412.65,
	"compte_rendu": "Entretien confidentiel : dette de loyer chez le bailleur Habitat Lumière",
	"compte_rendu_prive": "Note privée : signalement transmis au juge des tutelles",
}


def nettoyer() -> None:
	"""Delete what earlier runs created in the structure (files, imports and what they wrote,
	typologies, invited colleagues)."""
	if frappe.db.exists("User", INVITE):
		frappe.delete_doc("User", INVITE, force=True, ignore_permissions=True, delete_permanently=True)
	if not frappe.db.exists("Structure", STRUCTURE):
		return
	# Imports (test_import.py): the workbook, reports and rejected rows go with each import (its
	# attached files); a run interrupted mid-way is released first (an import in progress refuses
	# to be deleted).
	frappe.db.set_value("Import Classeur", {"structure": STRUCTURE}, "statut", "Échec", update_modified=False)
	for doctype in ("Ligne Importee", "Import Classeur", "Modele Import", "Correspondance Referent"):
		for name in frappe.get_all(doctype, {"structure": STRUCTURE}, pluck="name"):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	# A workbook uploaded in a new import that was never saved.
	for name in frappe.get_all(
		"File",
		{
			"attached_to_doctype": "Import Classeur",
			"attached_to_name": ("like", "new-import-classeur-%"),
			"owner": ("in", [user for user, _role, _structures in COMPTES.values()]),
		},
		pluck="name",
	):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True, delete_permanently=True)
	accompagnements = frappe.get_all("Accompagnement", {"structure": STRUCTURE}, pluck="name")
	for name in frappe.get_all(
		"Compte Rendu Prive", {"accompagnement": ("in", accompagnements or [""])}, pluck="name"
	):
		frappe.delete_doc(
			"Compte Rendu Prive", name, force=True, ignore_permissions=True, delete_permanently=True
		)
	for doctype in ("Rappel", "Accompagnement", "Beneficiaire"):
		for name in frappe.get_all(doctype, {"structure": STRUCTURE}, pluck="name"):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	for name in frappe.get_all(
		"Type Accompagnement",
		{"structure": STRUCTURE, "nom": ("not in", (TYPE_AIDE, TYPE_SIMPLE))},
		pluck="name",
	):
		frappe.delete_doc(
			"Type Accompagnement", name, force=True, ignore_permissions=True, delete_permanently=True
		)
	permanents = {user for user, _role, _structures in COMPTES.values()}
	for user in frappe.get_all(
		"User Permission", {"allow": "Structure", "for_value": STRUCTURE}, pluck="user", distinct=True
	):
		if user not in permanents:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True, delete_permanently=True)
	structure = frappe.get_doc("Structure", STRUCTURE)
	if any(row.user not in permanents for row in structure.responsables):
		structure.set("responsables", [row for row in structure.responsables if row.user in permanents])
		structure.save(ignore_permissions=True)


class MondeNavigateur:
	"""The structure, one user per role with a password, two typologies and the files to open."""

	def __init__(self):
		self.structure = make_structure(STRUCTURE, PREFIXE)
		self.comptes = {}
		for cle, (user, role, structures) in COMPTES.items():
			make_user(user, role, structures=structures)
			# Named as if created with their first name: Frappe derives the username from it.
			prenom = libelle_compte(cle)
			doc = frappe.get_doc("User", user)
			if (doc.first_name, doc.last_name, doc.username) != (prenom, "Navigateur", frappe.scrub(prenom)):
				doc.update(
					{"first_name": prenom, "last_name": "Navigateur", "username": frappe.scrub(prenom)}
				)
				doc.save(ignore_permissions=True)
			update_password(user, MOT_DE_PASSE)
			# The key of their authenticator app, for the roles that require two-factor
			# authentication (outils.se_connecter computes its codes), committed with the world.
			get_otpsecret_for_(user)
			self.comptes[cle] = user
		self.structure_voisine = make_structure(STRUCTURE_VOISINE, PREFIXE_VOISIN)
		self.responsable_voisin = make_user(RESPONSABLE_VOISIN, RESPONSABLE, structures=(STRUCTURE_VOISINE,))
		self.type_aide = make_type(self.structure, TYPE_AIDE, aide_financiere=1)
		self.type_simple = make_type(self.structure, TYPE_SIMPLE)
		travailleur = self.comptes["travailleur"]

		# A file for the Créer menu, one for the due-date rappel, one for realtime.
		self.dossier_louis = make_beneficiaire(
			self.structure, nom_usage="Petit", prenoms="Louis", date_naissance="1948-11-02"
		).name
		self.dossier_leon = make_beneficiaire(
			self.structure, nom_usage="Garnier", prenoms="Léon", date_naissance="1962-07-21"
		).name
		self.accompagnement_leon = make_accompagnement(
			self.dossier_leon, self.type_simple, travailleur, date=frappe.utils.today()
		).name
		self.dossier_claire = make_beneficiaire(
			self.structure, nom_usage="Moreau", prenoms="Claire", date_naissance="1979-04-30"
		).name
		# The person the duplicate test types again.
		self.dossier_paul = make_beneficiaire(
			self.structure, nom_usage="Durand", prenoms="Paul", date_naissance="1971-09-08"
		).name

		# A file and an aid full of confidential values, for the Agent d'accueil.
		c = CONFIDENTIEL
		self.dossier_rose = make_beneficiaire(
			self.structure,
			nom_usage="Secret",
			prenoms="Rose",
			date_naissance="1955-03-14",
			genre="Femme",
			numero_securite_sociale=c["nir"],
			sante_informations=c["sante_informations"],
			medecin_traitant=c["medecin_traitant"],
			mutuelle=c["mutuelle"],
			gir="GIR 4",
			mesure_protection="Curatelle renforcée",
			mandataire=c["mandataire"],
			numero_caf_msa=c["numero_caf_msa"],
			numero_france_travail=c["numero_france_travail"],
			categorie_socio_professionnelle="Retraité(e)",
		).name
		self.accompagnement_rose = make_accompagnement(
			self.dossier_rose,
			self.type_aide,
			travailleur,
			date="2026-01-15",
			compte_rendu=f"<p>{c['compte_rendu']}</p>",
			montant_demande=c["montant_demande"],
			montant_accorde=c["montant_accorde"],
			decision="Accordée partiellement",
			mode_paiement="Virement",
		).name
		frappe.get_doc(
			{
				"doctype": "Compte Rendu Prive",
				"accompagnement": self.accompagnement_rose,
				"texte": f"<p>{c['compte_rendu_prive']}</p>",
			}
		).insert(ignore_permissions=True)


def libelle_compte(cle: str) -> str:
	return {
		"travailleur": "Théo",
		"responsable": "Roxane",
		"accueil": "Alice",
		"administrateur": "Adrien",
	}[cle]


def construire() -> MondeNavigateur:
	nettoyer()
	monde = MondeNavigateur()
	frappe.db.commit()
	# The form scripts and metadata are cached in Redis outside developer mode: serve the
	# current code of the tree to the browser.
	frappe.clear_cache()
	return monde
