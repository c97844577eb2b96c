"""Attachments of the app's records (permissions/pieces_jointes.py): private whatever the path;
« confidentiel » read only by the roles that read the record's confidential part, over every
path (list, form, REST, /private/files, download_file, zip); no new row pointing to a private file
its author may not download."""

import io

import frappe
import pytest

from suivi_social.permissions import pieces_jointes
from suivi_social.permissions.pieces_jointes import CHAMP_CONFIDENTIEL, PieceJointeRefusee
from tests.conftest import as_user
from tests.securite.test_fichiers import piece, rappel
from tests.securite.test_http import cles, get, post
from tests.securite.test_rapports import admin_suivi


def nouveau(user: str, doctype: str | None, name: str | None, **values):
	"""A file uploaded by this user, as the desk or frappe.client.insert does (permission checked)."""
	with as_user(user):
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"piece-{frappe.generate_hash(length=8)}.txt",
				"content": frappe.generate_hash().encode(),
				"attached_to_doctype": doctype,
				"attached_to_name": name,
				**values,
			}
		).insert()


def liste(user: str) -> set[str]:
	with as_user(user):
		return set(frappe.get_list("File", pluck="name", limit_page_length=0))


def marquer(user: str, fichier, valeur: int = 1):
	with as_user(user):
		doc = frappe.get_doc("File", fichier.name)
		doc.set(CHAMP_CONFIDENTIEL, valeur)
		doc.save()
		return doc


# 1. Private whatever the path -----------------------------------------------------------------


def test_piece_jointe_d_un_dossier_toujours_privee(monde):
	"""« Public » ticked in the uploader, or frappe.client.insert with is_private=0."""
	fichier = nouveau(monde.ts_a, "Beneficiaire", monde.ben_a.name, is_private=0)
	assert fichier.is_private == 1 and fichier.file_url.startswith("/private/files/")
	with as_user(monde.ts_a):
		from frappe.client import insert

		inseree = insert(
			{
				"doctype": "File",
				"file_name": "public.txt",
				"content": "rapport social",
				"is_private": 0,
				"attached_to_doctype": "Rappel",
				"attached_to_name": rappel(monde.a, monde.ts_a),
			}
		)
	assert inseree["is_private"] == 1 and inseree["file_url"].startswith("/private/files/")
	# Files of other DocTypes follow Frappe: public when asked.
	assert nouveau(monde.ts_a, None, None, is_private=0).is_private == 0


def test_fichier_public_attache_ensuite_devient_prive(monde):
	public = nouveau(monde.ts_a, None, None, is_private=0)
	assert public.file_url.startswith("/files/")
	with as_user(monde.ts_a):
		public.attached_to_doctype, public.attached_to_name = "Beneficiaire", monde.ben_a.name
		public.save()
	assert public.is_private == 1 and public.file_url.startswith("/private/files/")
	# A public URL given without content: a private copy; the original stays where it is.
	autre = nouveau(monde.ts_a, None, None, is_private=0)
	with as_user(monde.ts_a):
		copie = frappe.get_doc(
			{
				"doctype": "File",
				"file_url": autre.file_url,
				"attached_to_doctype": "Beneficiaire",
				"attached_to_name": monde.ben_a.name,
			}
		).insert()
	assert copie.is_private == 1 and copie.file_url.startswith("/private/files/")
	assert frappe.db.get_value("File", autre.name, "file_url") == autre.file_url


def test_rendre_publique_une_piece_jointe_est_refuse(monde):
	fichier = nouveau(monde.ts_a, "Beneficiaire", monde.ben_a.name)
	with as_user(monde.ts_a), pytest.raises(PieceJointeRefusee):
		fichier.is_private = 0
		fichier.save()


def test_le_correctif_rend_privees_les_pieces_jointes_publiques_existantes(monde):
	"""Uploaded before the rule: public, attached to a file (written here as an old site has it)."""
	fichier = nouveau(monde.ts_a, None, None, is_private=0)
	frappe.db.set_value(
		"File",
		fichier.name,
		{"attached_to_doctype": "Beneficiaire", "attached_to_name": monde.ben_a.name},
	)
	pieces_jointes.rendre_privees()
	prive, url = frappe.db.get_value("File", fichier.name, ["is_private", "file_url"])
	assert prive == 1 and url.startswith("/private/files/")
	assert frappe.get_doc("File", fichier.name).get_content()


def test_http_televersement_coche_public(monde, cles):  # noqa: F811
	"""/api/method/upload_file, as the desk's uploader sends it with « Public » ticked."""
	r = post(
		cles[monde.ts_a],
		"/api/method/upload_file",
		file=(io.BytesIO(frappe.generate_hash().encode()), "televerse.txt"),
		is_private=0,
		doctype="Beneficiaire",
		docname=monde.ben_a.name,
	)
	assert r.status_code == 200, r.text
	fichier = r.json["message"]
	try:
		assert fichier["is_private"] == 1 and fichier["file_url"].startswith("/private/files/")
	finally:
		frappe.db.rollback()
		frappe.delete_doc("File", fichier["name"], force=True, ignore_permissions=True)
		frappe.db.commit()


# 2. « Confidentiel » ---------------------------------------------------------------------------


def test_qui_peut_marquer_confidentiel(monde, admin_suivi):  # noqa: F811
	fichier = nouveau(monde.acc_a, "Beneficiaire", monde.ben_a.name)
	for user in (monde.acc_a, admin_suivi):
		with pytest.raises(PieceJointeRefusee):
			marquer(user, fichier)
	assert marquer(monde.ts_a, fichier).get(CHAMP_CONFIDENTIEL) == 1
	# Cleared only by who reads it.
	with pytest.raises(frappe.PermissionError):
		marquer(monde.acc_a, fichier, 0)
	assert marquer(monde.resp_a, fichier, 0).get(CHAMP_CONFIDENTIEL) == 0
	# Already confidential at the upload: the same rule.
	with pytest.raises(PieceJointeRefusee):
		nouveau(monde.acc_a, "Beneficiaire", monde.ben_a.name, **{CHAMP_CONFIDENTIEL: 1})
	# On a DocType without confidential fields (Rappel): the file's confidential part decides.
	sur_un_rappel = nouveau(monde.acc_a, "Rappel", rappel(monde.a, monde.ts_a))
	with pytest.raises(PieceJointeRefusee):
		marquer(monde.acc_a, sur_un_rappel)
	assert marquer(monde.ts_a, sur_un_rappel).get(CHAMP_CONFIDENTIEL) == 1
	# Only on the app's records.
	with pytest.raises(PieceJointeRefusee):
		nouveau(monde.ts_a, None, None, **{CHAMP_CONFIDENTIEL: 1})


@pytest.fixture
def confidentiel(monde):
	"""A file uploaded by the Agent d'accueil on a file of A, then marked by a Travailleur social."""
	fichier = nouveau(monde.acc_a, "Beneficiaire", monde.ben_a.name)
	return marquer(monde.ts_a, fichier)


def test_confidentiel_lu_par_les_roles_du_confidentiel_seulement(monde, confidentiel, admin_suivi):  # noqa: F811
	lecteurs = {monde.ts_a: True, monde.ts_a2: True, monde.resp_a: True}
	# The Agent d'accueil reads the record, and uploaded the file (Frappe lets an owner read it).
	lecteurs |= {monde.acc_a: False, admin_suivi: False, monde.ts_b: False, monde.resp_b: False}
	for user, attendu in lecteurs.items():
		assert (confidentiel.name in liste(user)) == attendu, user
		with as_user(user):
			doc = frappe.get_doc("File", confidentiel.name)
			assert bool(frappe.has_permission("File", "read", doc=doc)) == attendu, user
			assert bool(doc.is_downloadable()) == attendu, user
	# The flag hides nothing else: an ordinary file of the same record stays listed.
	ordinaire = nouveau(monde.ts_a, "Beneficiaire", monde.ben_a.name)
	assert ordinaire.name in liste(monde.acc_a)


def test_formulaire_sans_le_nom_des_pieces_confidentielles(monde, confidentiel):
	"""The sidebar's attachments and the timeline's « a joint » entry (Frappe reads them with get_all)."""
	from suivi_social.overrides import getdoc

	for user, attendu in ((monde.ts_a, True), (monde.acc_a, False)):
		with as_user(user):
			getdoc("Beneficiaire", monde.ben_a.name)
		docinfo = frappe.response.pop("docinfo")
		assert (confidentiel.name in {a.name for a in docinfo.attachments}) == attendu, user
		journal = " ".join(c.content or "" for c in docinfo.attachment_logs)
		assert (confidentiel.file_url in journal) == attendu, user


def test_zip_sans_les_pieces_confidentielles(monde, confidentiel):
	import zipfile

	ordinaire = nouveau(monde.ts_a, "Beneficiaire", monde.ben_a.name)
	noms = frappe.as_json([confidentiel.name, ordinaire.name])
	for user, attendus in (
		(monde.acc_a, {ordinaire.file_name}),
		(monde.ts_a, {ordinaire.file_name, confidentiel.file_name}),
	):
		with as_user(user):
			pieces_jointes.zip_files(noms)
		archive = zipfile.ZipFile(io.BytesIO(frappe.response.pop("filecontent")))
		assert set(archive.namelist()) == attendus, user


def test_contenu_confidentiel_par_toutes_ses_lignes(monde, confidentiel):
	"""Frappe stores identical content once: the same file on another row is refused too."""
	with as_user(monde.ts_a):
		alias = frappe.get_doc(
			{
				"doctype": "File",
				"file_url": confidentiel.file_url,
				"attached_to_doctype": "Beneficiaire",
				"attached_to_name": monde.ben_a.name,
			}
		).insert()
	with as_user(monde.acc_a):
		assert frappe.has_permission("File", "read", doc=frappe.get_doc("File", alias.name))
		assert not frappe.get_doc("File", alias.name).is_downloadable()


# 3. No row pointing to a private file one may not download ------------------------------------


def test_pas_de_ligne_vers_le_fichier_prive_d_un_autre(monde, confidentiel):
	de_b = piece("Beneficiaire", monde.ben_b.name)
	cas = (
		(monde.ts_a, de_b.file_url, None, None),  # another structure's, as an upload of one's own
		(monde.ts_a, de_b.file_url, "Beneficiaire", monde.ben_a.name),  # … or on one's record
		(monde.acc_a, confidentiel.file_url, "Beneficiaire", monde.ben_a.name),  # a confidential one
	)
	for user, url, doctype, name in cas:
		with as_user(user), pytest.raises(PieceJointeRefusee):
			frappe.get_doc(
				{"doctype": "File", "file_url": url, "attached_to_doctype": doctype, "attached_to_name": name}
			).insert()
	# Who may download it may point to it (an e-mail's attachment, a copy).
	with as_user(monde.ts_b):
		frappe.get_doc({"doctype": "File", "file_url": de_b.file_url}).insert()


def test_champ_piece_jointe_vers_le_fichier_d_un_autre(monde):
	de_b = piece("Beneficiaire", monde.ben_b.name)
	with as_user(monde.ts_a):
		acc = frappe.get_doc("Accompagnement", monde.acc_ben_a)
		acc.documents = de_b.file_url
		with pytest.raises(PieceJointeRefusee):
			acc.save()
		propre = nouveau(monde.ts_a, "Accompagnement", monde.acc_ben_a)
		acc.reload()
		acc.documents = propre.file_url
		acc.save()


# Over HTTP: the committed world ---------------------------------------------------------------


@pytest.fixture(scope="session")
def confidentiel_commite(_monde):
	"""A confidential file on a file of A, committed once (HTTP requests have their own connection)."""
	filters = {
		"attached_to_doctype": "Beneficiaire",
		"attached_to_name": _monde.ben_a.name,
		"file_name": "http-confidentiel.txt",
	}
	if not (name := frappe.db.get_value("File", filters)):
		name = piece(
			"Beneficiaire", _monde.ben_a.name, file_name="http-confidentiel.txt", **{CHAMP_CONFIDENTIEL: 1}
		).name
		frappe.db.commit()
	return frappe.get_doc("File", name)


def test_http_confidentiel(monde, cles, confidentiel_commite):  # noqa: F811
	fichier = confidentiel_commite
	assert fichier.get(CHAMP_CONFIDENTIEL) == 1
	chemins = (
		(fichier.file_url, {}),
		("/api/method/frappe.utils.file_manager.download_file", {"file_url": fichier.file_url}),
		("/api/method/download_file", {"file_url": fichier.file_url}),
		("/api/method/frappe.handler.download_file", {"file_url": fichier.file_url}),
		(f"/api/resource/File/{fichier.name}", {}),
	)
	for path, params in chemins:
		assert get(cles[monde.ts_a], path, **params).status_code == 200, path
		assert get(cles[monde.resp_a], path, **params).status_code == 200, path
		assert get(cles[monde.acc_a], path, **params).status_code == 403, path
	for user, attendu in ((monde.ts_a, True), (monde.acc_a, False)):
		r = get(cles[user], "/api/resource/File", filters=[["name", "=", fichier.name]])
		assert bool(r.json["data"]) == attendu, user
