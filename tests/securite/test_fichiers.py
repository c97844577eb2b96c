"""Attachments: a file of our records is listed exactly to the users who may list the record.

permissions/fichiers.py reads the structure stored on the File row instead of looking the record
up for every file (benchmarks/liste_fichiers.py). These tests hold the rule itself, for every role,
against frappe.get_list of the record; the structure stored on the row and how it is kept; and the
rule over HTTP."""

from unittest.mock import patch

import frappe
import pytest

from suivi_social.permissions import fichiers
from suivi_social.permissions.fichiers import CHAMP_STRUCTURE, PROTECTED_DOCTYPES
from suivi_social.roles import ADMINISTRATEUR, TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_beneficiaire, make_user
from tests.securite.test_http import cles, get  # cles: a fixture, used by name


def piece(doctype: str | None, name: str | None, **values):
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"piece-{frappe.generate_hash(length=8)}.txt",
			"content": frappe.generate_hash().encode(),
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"is_private": 1,
			**values,
		}
	).insert(ignore_permissions=True)


def rappel(structure: str, agent: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": "Relancer la CAF",
				"date_echeance": "2026-12-02",
				"assigne_a": agent,
				"structure": structure,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def compte_rendu(auteur: str, accompagnement: str, delegue: str | None = None) -> str:
	with as_user(auteur):
		return (
			frappe.get_doc(
				{
					"doctype": "Compte Rendu Prive",
					"accompagnement": accompagnement,
					"delegue": delegue,
					"texte": "<p>Très privé</p>",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)


@pytest.fixture
def pieces(monde):
	"""One private file on a record of each protected DocType in each structure, and others."""
	records = [
		("Structure", monde.a),
		("Structure", monde.b),
		("Type Accompagnement", monde.type_a),
		("Type Accompagnement", monde.type_b),
		("Beneficiaire", monde.ben_a.name),
		("Beneficiaire", monde.ben_b.name),
		("Beneficiaire", autre_dossier_a(monde)),
		("Accompagnement", monde.acc_ben_a),
		("Accompagnement", monde.acc_ben_b),
		("Accompagnement", make_accompagnement(autre_dossier_a(monde), monde.type_a, monde.ts_a).name),
		("Rappel", rappel(monde.a, monde.ts_a)),
		("Rappel", rappel(monde.b, monde.ts_b)),
		("Compte Rendu Prive", compte_rendu(monde.ts_a, monde.acc_ben_a)),
		("Compte Rendu Prive", compte_rendu(monde.ts_a, monde.acc_ben_a, delegue=monde.ts_a2)),
		("Compte Rendu Prive", compte_rendu(monde.ts_b, monde.acc_ben_b)),
	]
	result = {piece(doctype, name).name: (doctype, name) for doctype, name in records}
	# Not our records: Frappe's own rules apply (a user's own upload, a file on a ToDo).
	with as_user(monde.ts_a):
		result[piece(None, None).name] = (None, None)
	todo = frappe.get_doc({"doctype": "ToDo", "description": "Appeler"}).insert(ignore_permissions=True)
	result[piece("ToDo", todo.name).name] = ("ToDo", todo.name)
	return result


def autre_dossier_a(monde) -> str:
	return make_beneficiaire(monde.a, nom_usage="Petit", prenoms="Paul", date_naissance="1980-02-02").name


def ts_restreint_a_un_dossier(monde) -> str:
	"""A Travailleur social of A whom a System Manager restricted to one file (User Permission on
	Beneficiaire): Frappe then lists only that file and what links to it."""
	user = make_user("ts-un-dossier@test.fr", TRAVAILLEUR_SOCIAL, structures=(monde.a,))
	frappe.get_doc(
		{"doctype": "User Permission", "user": user, "allow": "Beneficiaire", "for_value": monde.ben_a.name}
	).insert(ignore_permissions=True)
	return user


def structure_de(doctype: str, name: str) -> str | None:
	return fichiers.structure_du_document(doctype, name)


def fichiers_listes(user: str, sans_la_regle: bool = False) -> set[str]:
	with as_user(user):
		if sans_la_regle:
			with patch.object(fichiers, "query_conditions", lambda user=None, doctype=None: ""):
				return set(frappe.get_list("File", pluck="name", limit_page_length=0))
		return set(frappe.get_list("File", pluck="name", limit_page_length=0))


def documents_listes(user: str, doctype: str) -> set[str]:
	with as_user(user):
		if not frappe.has_permission(doctype, "read"):
			return set()
		return set(frappe.get_list(doctype, pluck="name", limit_page_length=0))


def utilisateurs(monde) -> list[str]:
	return [
		monde.ts_a,
		monde.ts_a2,
		monde.acc_a,
		monde.resp_a,
		monde.ts_b,
		monde.resp_b,
		make_user("admin-suivi@test.fr", ADMINISTRATEUR),
		make_user("ts-sans-structure@test.fr", TRAVAILLEUR_SOCIAL),
		ts_restreint_a_un_dossier(monde),
	]


def partager(doctype: str, name: str, user: str) -> None:
	"""A share made before sharing was disabled (install.SECURITY_SETTINGS): get_list honours it."""
	frappe.share.add_docshare(doctype, name, user, read=1, flags={"ignore_share_permission": True})


def test_un_fichier_est_liste_si_et_seulement_si_son_document_l_est(monde, pieces):
	partager("Beneficiaire", monde.ben_b.name, monde.ts_a2)
	compte_rendu_de_ts_a = next(
		name
		for dt, name in pieces.values()
		if dt == "Compte Rendu Prive" and structure_de(dt, name) == monde.a
	)
	partager("Compte Rendu Prive", compte_rendu_de_ts_a, monde.acc_a)  # no role may read it
	for user in utilisateurs(monde):
		listes = fichiers_listes(user)
		selon_frappe = fichiers_listes(user, sans_la_regle=True)
		for name, (doctype, docname) in pieces.items():
			attendu = name in selon_frappe
			if doctype in PROTECTED_DOCTYPES:
				attendu = attendu and docname in documents_listes(user, doctype)
			assert (name in listes) == attendu, (user, doctype, docname)


def test_les_cas_attendus(monde, pieces):
	"""The same rule, spelled out: what each user sees of the files above."""

	def vus(user: str) -> set[tuple[str, str]]:
		listes = fichiers_listes(user)
		return {
			record for name, record in pieces.items() if name in listes and record[0] in PROTECTED_DOCTYPES
		}

	de = {
		structure: {r for r in pieces.values() if structure_de(*r) == structure}
		for structure in (monde.a, monde.b)
	}
	comptes_rendus_a = [r for r in de[monde.a] if r[0] == "Compte Rendu Prive"]
	non_delegue, delegue = sorted(comptes_rendus_a, key=lambda r: bool(frappe.db.get_value(*r, "delegue")))
	assert vus(monde.ts_a) == de[monde.a]
	assert vus(monde.ts_a2) == de[monde.a] - {non_delegue}
	assert vus(monde.acc_a) == de[monde.a] - set(comptes_rendus_a)
	assert vus(monde.resp_a) == de[monde.a] - set(comptes_rendus_a)
	assert vus(monde.ts_b) == de[monde.b]
	assert delegue in vus(monde.ts_a2)
	sans_comptes_rendus = {r for r in pieces.values() if r[0] in PROTECTED_DOCTYPES} - {
		r for r in pieces.values() if r[0] == "Compte Rendu Prive"
	}
	assert vus(make_user("admin-suivi@test.fr", ADMINISTRATEUR)) == sans_comptes_rendus
	assert vus(make_user("ts-sans-structure@test.fr", TRAVAILLEUR_SOCIAL)) == set()
	# Files of other DocTypes follow Frappe: the user's own upload, the Home folder.
	uploads = [name for name, record in pieces.items() if record == (None, None)]
	assert set(uploads) <= fichiers_listes(monde.ts_a)
	assert not set(uploads) & fichiers_listes(monde.ts_b)
	assert "Home" in fichiers_listes(monde.ts_b)


def test_un_document_partage(monde, pieces):
	"""Frappe lists a shared record even outside the user's structures: so is its file."""
	partager("Beneficiaire", monde.ben_b.name, monde.ts_a2)
	with as_user(monde.ts_a2):
		assert monde.ben_b.name in frappe.get_list("Beneficiaire", pluck="name", limit_page_length=0)
	vus = {pieces[name] for name in fichiers_listes(monde.ts_a2) if name in pieces}
	assert ("Beneficiaire", monde.ben_b.name) in vus
	assert ("Accompagnement", monde.acc_ben_b) not in vus


def test_une_user_permission_de_plus_est_respectee(monde, pieces):
	"""The rule is Frappe's list rule, not a copy of it: here the files of the other records of A
	disappear, through the primary-key check of the records that are not restricted by structure."""
	user = ts_restreint_a_un_dossier(monde)
	vus = {pieces[name] for name in fichiers_listes(user) if name in pieces}
	acc_autre = frappe.db.get_value("Accompagnement", {"beneficiaire": autre_dossier_a(monde)})
	assert ("Beneficiaire", monde.ben_a.name) in vus and ("Accompagnement", monde.acc_ben_a) in vus
	assert ("Beneficiaire", autre_dossier_a(monde)) not in vus
	assert ("Accompagnement", acc_autre) not in vus


def test_la_structure_vient_du_document_jamais_du_client(monde):
	fichier = piece("Beneficiaire", monde.ben_b.name, **{CHAMP_STRUCTURE: monde.a})
	assert fichier.get(CHAMP_STRUCTURE) == monde.b
	with as_user(monde.ts_a):
		assert fichier.name not in frappe.get_list("File", pluck="name", limit_page_length=0)
	# Attached elsewhere: the structure follows.
	fichier.attached_to_name = monde.ben_a.name
	fichier.save(ignore_permissions=True)
	assert frappe.db.get_value("File", fichier.name, CHAMP_STRUCTURE) == monde.a
	fichier.attached_to_doctype = fichier.attached_to_name = None
	fichier.save(ignore_permissions=True)
	assert frappe.db.get_value("File", fichier.name, CHAMP_STRUCTURE) is None


def test_le_champ_ne_soumet_pas_les_fichiers_aux_user_permissions():
	"""Files without a structure (folders, uploads) would vanish for every restricted user."""
	df = frappe.get_meta("File").get_field(CHAMP_STRUCTURE)
	assert df.options == "Structure" and df.read_only and df.ignore_user_permissions


def test_recalcul_apres_une_ecriture_directe(monde):
	"""A row written without the File controller (SQL, import) is put right on the next migrate."""
	fichier = piece("Accompagnement", monde.acc_ben_b)
	frappe.db.set_value("File", fichier.name, CHAMP_STRUCTURE, monde.a, update_modified=False)
	with as_user(monde.ts_a):
		assert fichier.name in frappe.get_list("File", pluck="name", limit_page_length=0)
	fichiers.recalculer([fichier.name])  # migrate recomputes them all; one row here, for concurrent runs
	assert frappe.db.get_value("File", fichier.name, CHAMP_STRUCTURE) == monde.b
	with as_user(monde.ts_a):
		assert fichier.name not in frappe.get_list("File", pluck="name", limit_page_length=0)


def test_renommer_la_structure_suit_dans_les_fichiers(monde):
	from frappe.model.rename_doc import rename_doc

	from tests.factories import make_structure

	suffixe = frappe.generate_hash(length=6).upper()  # unique: test runs may be concurrent
	structure = make_structure(f"CCAS Test Renommage {suffixe}", f"R{suffixe}")
	fichier = piece("Structure", structure)
	assert fichier.get(CHAMP_STRUCTURE) == structure
	rename_doc("Structure", structure, f"CCAS Test Renommé {suffixe}", force=True)
	assert frappe.db.get_value("File", fichier.name, ["attached_to_name", CHAMP_STRUCTURE]) == (
		f"CCAS Test Renommé {suffixe}",
		f"CCAS Test Renommé {suffixe}",
	)


def test_la_condition_ne_lit_pas_les_dossiers(monde):
	"""The cost of the File list must not grow with the number of records: no subquery reads the
	records' tables; a private report is looked up by primary key, for its own files only."""
	condition = fichiers.query_conditions(monde.ts_a)
	for doctype in PROTECTED_DOCTYPES:
		if doctype != "Compte Rendu Prive":
			assert f"`tab{doctype}`" not in condition
	with as_user(monde.ts_a):
		sql = frappe.get_list("File", fields=["name"], order_by="modified desc", limit=20, run=0)
	for row in frappe.db.sql(f"explain {sql}", as_dict=True):
		if row.table != "tabFile":
			assert (row.table, row.type, row.key) == ("tabCompte Rendu Prive", "eq_ref", "PRIMARY"), row


@pytest.fixture(scope="session")
def pieces_commitees(_monde):
	"""A file on a record of A and one on a record of B, committed once (the HTTP requests have
	their own connection)."""
	noms = {}
	for structure, dossier in ((_monde.a, _monde.ben_a.name), (_monde.b, _monde.ben_b.name)):
		file_name = f"http-{structure[-1].lower()}.txt"
		filters = {"attached_to_doctype": "Beneficiaire", "attached_to_name": dossier, "file_name": file_name}
		noms[structure] = frappe.db.get_value("File", filters)
		if not noms[structure]:
			noms[structure] = piece("Beneficiaire", dossier, file_name=file_name).name
			frappe.db.commit()
	return noms


def test_http_liste_et_compte_des_fichiers(monde, cles, pieces_commitees):  # noqa: F811
	token = cles[monde.ts_a]
	r = get(token, "/api/resource/File", fields=["name"], limit_page_length=0)
	assert r.status_code == 200
	listes = {row["name"] for row in r.json["data"]}
	assert pieces_commitees[monde.a] in listes
	assert pieces_commitees[monde.b] not in listes
	for structure, attendu in ((monde.a, 1), (monde.b, 0)):
		r = get(
			token,
			"/api/method/frappe.desk.reportview.get_count",
			doctype="File",
			filters=[["File", "name", "=", pieces_commitees[structure]]],
		)
		assert r.json["message"] == attendu
