"""The import writes its records in bulk (imports/ecriture.py), not through Document.insert: these
tests hold it to the same rules. Each would fail if the bulk path skipped a rule that insert
applies: a controller's derived field, a structure check, one of Frappe's own checks."""

import datetime

import frappe
import pytest

from suivi_social.exceptions import HorsStructure
from suivi_social.imports import cli
from suivi_social.imports.analyse import FUSIONNEE, IMPORTEE, REJETEE, LigneImport, Personne, Plan
from suivi_social.imports.automatismes import Automatismes, automatismes
from suivi_social.imports.ecriture import Ecrivain, Transaction
from suivi_social.imports.erreurs import ImportImpossible
from tests.conftest import as_user
from tests.imports.outils import xlsx


def classeur() -> bytes:
	return xlsx(
		{
			"Aides": [
				[
					"Nom Prénom",
					"DDN",
					"Commune",
					"Téléphone",
					"Montant demandé",
					"Montant accordé",
					"Date commission",
					"Décision",
					"Observations",
				],
				[
					"PERRIER Monique",
					"20/06/1951",
					"Épinac",
					"0612345678",
					"45,50 €",
					"45.5",
					"20/10/2023",
					"ok",
					"<b>urgent</b> & suivi",
				],
				[
					"MARTIN Léa",
					"12/05/1960",
					"Autun",
					"0698765432",
					30,
					None,
					"29/06/2023",
					"Accord partiel",
					None,
				],
				["RAYMOND Jeanne", "19.05.1981", "Curgy", None, "200,00 €", 0, "14/12/2023", "refusé", None],
			],
			"Visites": [
				["Nom", "Prénom", "Téléphone", "Visite 1", "Visite 2"],
				["raymond", "jeanne", 612345678, "02/02/2024", "05/03/2030"],
			],
		}
	)


def etat(doctype: str, name: str) -> dict:
	"""A record and its child rows as stored, without the time and author of the last change."""
	valeurs = frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)
	for ligne in (valeurs, *(l for v in valeurs.values() if isinstance(v, list) for l in v)):
		for champ in ("modified", "modified_by"):
			ligne.pop(champ, None)
	return valeurs


def test_un_enregistrement_importe_est_celui_que_les_controleurs_auraient_ecrit(monde, tmp_path):
	"""Saved again through Document.save (garde_structure, the controller's validate, Frappe's
	checks, Accompagnement.on_update's summary of the file), no record written by the import
	changes: its derived fields, keys, summaries and names are those of the document path."""
	chemin = tmp_path / "aides.xlsx"
	chemin.write_bytes(classeur())
	with as_user(monde.resp_a):
		rapport = cli.importer(
			str(chemin),
			monde.a,
			agent=monde.ts_a,
			user=monde.resp_a,
			transaction=Transaction(valider=False),
			afficher=lambda _t: None,
		)
	issues = {l["nom"]: l["outcome"] for l in rapport["lignes"]}
	assert issues["MARTIN Léa"] == FUSIONNEE and IMPORTEE in issues.values()
	dossiers = {l["beneficiaire"] for l in rapport["lignes"]}
	assert monde.ben_a.name in dossiers
	accompagnements = frappe.get_all(
		"Accompagnement", filters={"beneficiaire": ("in", list(dossiers))}, pluck="name"
	)
	assert len(accompagnements) == rapport["resume"]["accompagnements"] + 1  # ben_a had one
	# The controller's derived fields are there: a future visit is a planned appointment.
	visite = frappe.get_all(
		"Accompagnement",
		filters={"name": ("in", accompagnements), "statut": "Planifié"},
		fields=["mode", "rendez_vous"],
	)
	assert visite == [{"mode": "Visite à domicile", "rendez_vous": 1}]
	# The existing file got the empty phone, and the search keys that go with it.
	martin = frappe.db.get_value(
		"Beneficiaire", monde.ben_a.name, ["telephone", "telephones_recherche"], as_dict=True
	)
	assert martin == {"telephone": "06 98 76 54 32", "telephones_recherche": "+33698765432"}

	enregistrements = [("Beneficiaire", d) for d in sorted(dossiers)] + [
		("Accompagnement", a) for a in accompagnements
	]
	avant = {e: etat(*e) for e in enregistrements}
	with as_user(monde.resp_a):
		for doctype, name in enregistrements:
			doc = frappe.get_doc(doctype, name)
			if doctype == "Beneficiaire":
				doc.validate_doublon = lambda: None  # the import's matching stands for it
			doc.save()
	assert {e: etat(*e) for e in enregistrements} == avant


def test_sur_un_site_sans_automatisme_rien_n_est_rejoue_ni_refuse():
	"""Every doc_event of the installed apps on the records the import writes is one it accounts for
	(imports/automatismes.py): a hook added to hooks.py, here or in Frappe, shows up here until the
	import reproduces it, replays it or refuses it."""
	for doctype in ("Beneficiaire", "Accompagnement"):
		assert automatismes(doctype) == Automatismes(), doctype


def plan(structure: str, accompagnement: dict, dossier: str | None = None) -> tuple[Plan, LigneImport]:
	ligne = LigneImport(
		feuille="F",
		numero=1,
		ligne_feuille=2,
		valeurs=[],
		accompagnements=[
			{
				"date": datetime.date(2024, 1, 5),
				"statut": "Terminé",
				"mode": "Accueil physique spontané",
				"compte_rendu": "<p>Repris.</p>",
				**accompagnement,
			}
		],
		issue=FUSIONNEE if dossier else IMPORTEE,
		empreinte=frappe.generate_hash(length=32),
	)
	personne = Personne(
		numero=1,
		lignes=[ligne],
		dossier=dossier,
		valeurs={} if dossier else {"nom_usage": "DURAND", "prenoms": "Paul"},
	)
	return Plan("f.xlsx", structure, [], [ligne], [personne], []), ligne


def ecrire(monde, plan: Plan, typologie: str | None = None) -> None:
	with as_user(monde.resp_a):
		Ecrivain(
			plan,
			monde.a,
			{"F": typologie or monde.aide_a},
			monde.ts_a,
			transaction=Transaction(valider=False),
		).ecrire()


def test_un_dossier_d_une_autre_structure_ne_recoit_rien(monde):
	"""garde_structure's rule, checked once per batch: rows sent to a file of another structure are
	rejected, nothing is written to that file."""
	p, ligne = plan(monde.a, {}, dossier=monde.ben_b.name)
	avant = frappe.db.count("Accompagnement", {"beneficiaire": monde.ben_b.name})
	ecrire(monde, p)
	assert ligne.issue == REJETEE
	assert f"le dossier {monde.ben_b.name} n'est pas un dossier de la structure" in ligne.raisons[0]
	assert frappe.db.count("Accompagnement", {"beneficiaire": monde.ben_b.name}) == avant


def test_une_typologie_d_une_autre_structure_est_refusee(monde):
	p, _ligne = plan(monde.a, {})
	with pytest.raises(HorsStructure, match="appartiennent à une autre structure"):
		ecrire(monde, p, typologie=monde.type_b)


@pytest.mark.parametrize(
	"valeurs, message",
	[
		({"decision": "Peut-être"}, "Peut-être"),
		({"organisme_instructeur": "x" * 200}, "140"),
		({"montant_accorde": -5}, None),
	],
	ids=["option", "longueur", "negatif"],
)
def test_les_verifications_de_frappe_refusent_la_ligne(monde, valeurs, message):
	"""A value Frappe's own checks refuse (select option, length, negative amount) rejects the row,
	with the message of the check that refused it."""
	p, ligne = plan(monde.a, valeurs)
	ecrire(monde, p)
	assert ligne.issue == REJETEE, ligne.raisons
	assert not message or message in ligne.raisons[0], ligne.raisons


def test_le_html_est_assaini_comme_par_frappe(monde):
	p, ligne = plan(
		monde.a,
		{"decision": "Refusée", "motif_refus": "<script>alert(1)</script><b>Dossier incomplet</b>"},
	)
	ecrire(monde, p)
	assert ligne.issue == IMPORTEE, ligne.raisons
	(nom,) = frappe.db.get_value("Ligne Importee", {"empreinte": ligne.empreinte}, "accompagnements").split()
	motif = frappe.db.get_value("Accompagnement", nom, "motif_refus")
	assert "<script" not in motif and "Dossier incomplet" in motif


def test_un_automatisme_du_site_est_rejoue_pour_chaque_enregistrement(monde):
	"""A Milestone Tracker on the accompaniments (run by Frappe's on_change hook): each imported
	accompaniment gets its milestone, as through insert."""
	import frappe.cache_manager

	frappe.get_doc(
		{"doctype": "Milestone Tracker", "document_type": "Accompagnement", "track_field": "statut"}
	).insert()
	try:
		p, ligne = plan(monde.a, {})
		ecrire(monde, p)
		nom = frappe.db.get_value("Ligne Importee", {"empreinte": ligne.empreinte}, "accompagnements")
		assert frappe.get_all(
			"Milestone",
			filters={"reference_type": "Accompagnement", "reference_name": nom},
			fields=["track_field", "value"],
		) == [{"track_field": "statut", "value": "Terminé"}]
	finally:
		frappe.db.rollback()
		frappe.cache_manager.clear_doctype_map("Milestone Tracker", "Accompagnement")


def test_un_automatisme_avant_l_enregistrement_empeche_l_import(monde):
	"""A Server Script « Before Insert » needs each record inserted alone: the import says so, and
	writes nothing."""
	frappe.get_doc(
		{
			"doctype": "Server Script",
			"name": "Avant chaque accompagnement",
			"script_type": "DocType Event",
			"reference_doctype": "Accompagnement",
			"doctype_event": "Before Insert",
			"script": "pass",
		}
	).insert()
	try:
		p, _ligne = plan(monde.a, {})
		with pytest.raises(ImportImpossible, match="le script serveur « Avant chaque accompagnement »"):
			ecrire(monde, p)
	finally:
		frappe.db.rollback()
		frappe.cache.delete_value("server_script_map")
