"""A run stopped mid-way resumes without duplicates; existing files are found through indexes."""

import datetime

import frappe
import pytest

from suivi_social.imports import cli, doublons, ecriture, execution
from suivi_social.imports.doublons import Identite
from suivi_social.imports.ecriture import Transaction
from tests.factories import make_beneficiaire
from tests.imports.verite import ECHANTILLON, charger_verite


def test_reprise_apres_une_panne_sans_doublon(structure_import, monkeypatch):
	structure = structure_import.nom
	monkeypatch.setattr(ecriture, "TAILLE_LOT", 150)
	ecrire_lot = ecriture.Ecrivain._ecrire_lot
	lots = []

	def panne_au_troisieme_lot(self, personnes):
		lots.append(len(personnes))
		if len(lots) == 3:
			raise ConnectionError("panne simulée")
		return ecrire_lot(self, personnes)

	monkeypatch.setattr(ecriture.Ecrivain, "_ecrire_lot", panne_au_troisieme_lot)
	with pytest.raises(ConnectionError):
		cli.importer(
			str(ECHANTILLON),
			structure,
			user=structure_import.resp,
			transaction=Transaction(valider=False),
			afficher=print,
		)
	nom = frappe.get_all("Import Classeur", filters={"structure": structure}, pluck="name")[0]
	assert frappe.db.get_value("Import Classeur", nom, "statut") == "Échec"
	ecrites = frappe.db.count("Ligne Importee", {"structure": structure})
	assert 0 < ecrites < 766
	assert frappe.db.count("Beneficiaire", {"structure": structure}) < 349

	monkeypatch.setattr(ecriture.Ecrivain, "_ecrire_lot", ecrire_lot)
	frappe.set_user(structure_import.resp)
	rapport = execution.executer(nom, transaction=Transaction(valider=False))
	assert rapport["resume"]["deja_importees"] == ecrites
	assert frappe.db.get_value("Import Classeur", nom, "statut") == "Terminé"
	assert frappe.db.count("Beneficiaire", {"structure": structure}) == 349
	assert frappe.db.count("Accompagnement", {"structure": structure}) == 1185
	assert frappe.db.count("Ligne Importee", {"structure": structure}) == 766


def test_fusion_avec_un_dossier_existant_complete_sans_ecraser(structure_import):
	structure = structure_import.nom
	existant = make_beneficiaire(
		structure, nom_usage="Perrier", prenoms="Monique", date_naissance="1951-06-20", commune="Epinac"
	)
	rapport = cli.importer(
		str(ECHANTILLON),
		structure,
		user=structure_import.resp,
		transaction=Transaction(valider=False),
		afficher=print,
	)
	lignes = [l for l in rapport["lignes"] if l["beneficiaire"] == existant.name]
	verite = charger_verite()
	perrier = {(r["sheet"], r["row"]) for r in verite["records"] if r["person"] == 293}
	assert {(l["sheet"], l["row"]) for l in lignes} == perrier
	assert {l["outcome"] for l in lignes} <= {"merged", "review"}
	assert rapport["resume"]["personnes_existantes"] == 1 and rapport["resume"]["personnes_creees"] == 348
	existant.reload()
	# Empty fields filled from the workbook, what the agent typed kept.
	assert existant.telephone == "06 03 30 47 25" and existant.commune == "Epinac"
	assert frappe.db.count("Accompagnement", {"beneficiaire": existant.name}) == sum(
		l["accompagnements"] for l in lignes
	)


def test_la_recherche_des_dossiers_existants_passe_par_les_index(structure_import):
	"""EXPLAIN of the two lookups: through an index, never a scan, with the composite index on the
	searched key (structure + birth date, or structure + name key) available to the optimizer."""
	identites = [
		Identite(nom="PERRIER", prenoms="Monique", date_naissance=datetime.date(1951, 6, 20)),
		Identite(nom="LE GALL", prenoms="Lorraine"),
	]
	requetes = []
	sql = frappe.db.sql

	def espion(requete, *args, **kwargs):
		if "tabBeneficiaire" in str(requete) and str(requete).lstrip().lower().startswith("select"):
			requetes.append((requete, args[0] if args else kwargs.get("values")))
		return sql(requete, *args, **kwargs)

	frappe.db.sql = espion
	try:
		doublons.chercher_dossiers(structure_import.nom, identites)
	finally:
		del frappe.db.sql
	assert len(requetes) == 2
	for requete, valeurs in requetes:
		for plan in frappe.db.sql(f"explain {requete}", valeurs, as_dict=True):
			# Never a scan, and an index on the searched key is usable. Which one MariaDB picks
			# depends on the table's statistics: on a nearly empty table it may take `structure`.
			assert plan.type != "ALL" and plan.key, plan
			assert "structure_date_naissance" in plan.possible_keys or "structure_nom_recherche" in (
				plan.possible_keys
			), plan
