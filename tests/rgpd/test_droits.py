"""The persons' rights (suivi_social/rgpd/droits.py): access (export of the complete file) and
erasure (nothing left anywhere in the database, nor on disk).

Each test builds a file of structure A full of « canary » values (unique per run: name, NIR,
phones, e-mail, texts of a report, a private report, a rappel, a comment, an attachment's name),
then checks that the export holds them all and nothing of anyone else, and that after an erasure
no text column of any table of the site's database holds one of them."""

import io
import json
import os
import random

import frappe
import pytest

from suivi_social.rgpd import droits
from suivi_social.statistiques import memoire
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_beneficiaire, nir
from tests.securite.test_fichiers import piece
from tests.securite.test_http import cles, get, post  # cles: a fixture, used by name

EXPORT = "/api/method/suivi_social.rgpd.droits.exporter_dossier"
EFFACEMENT = "/api/method/suivi_social.rgpd.droits.effacer_dossier"


@pytest.fixture
def canari(monde):
	"""A file of structure A with an accompaniment, a private report by ts_a, a rappel, a comment,
	an attachment and a change kept in Version; and the values that must be found (export) or
	never found again (erasure)."""
	marque = frappe.generate_hash(length=8).lower()
	chiffres = f"{random.randint(1000000, 9999999):08d}"
	v = frappe._dict(
		nom=f"Zorglub{marque}",
		prenom=f"Canari{marque}",
		nir=nir(f"26005{chiffres}"),
		telephone=f"06{chiffres}",
		email=f"canari-{marque}@exemple.fr",
		compte_rendu=f"Compte rendu {marque} dette de loyer",
		prive=f"Note privée {marque} santé fragile",
		rappel=f"Relance {marque} bailleur",
		commentaire=f"Commentaire {marque} au dossier",
		fichier=f"attestation-{marque}.txt",
	)
	ben = make_beneficiaire(
		monde.a,
		nom_usage=v.nom,
		prenoms=v.prenom,
		numero_securite_sociale=v.nir,
		telephone=v.telephone,
		email=v.email,
		sante_informations="Diabète",
		referents=[{"user": monde.ts_a}],
	)
	acc = make_accompagnement(
		ben.name, monde.aide_a, monde.ts_a, compte_rendu=f"<p>{v.compte_rendu}</p>", montant_demande=250
	)
	with as_user(monde.ts_a):
		crp = frappe.get_doc(
			{"doctype": "Compte Rendu Prive", "accompagnement": acc.name, "texte": f"<p>{v.prive}</p>"}
		).insert()
	rap = frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": "Relancer le bailleur",
			"note": v.rappel,
			"date_echeance": "2026-12-02",
			"assigne_a": monde.ts_a,
			"beneficiaire": ben.name,
		}
	).insert(ignore_permissions=True)
	fichier = piece("Beneficiaire", ben.name, file_name=v.fichier)
	ben.add_comment("Comment", v.commentaire)
	# A change kept in Version (written in tests only with ignore_version=False).
	ben.reload()
	ben.informations_complementaires = f"Écrire à {v.email}"
	ben.save(ignore_permissions=True, ignore_version=False)
	v.update(ben=ben.name, acc=acc.name, crp=crp.name, rappel_name=rap.name, file=fichier)
	return v


def exporter_json(structure: str, beneficiaire: str) -> dict:
	frappe.local.response = frappe._dict()
	droits.exporter_dossier(structure=structure, beneficiaire=beneficiaire, format="json")
	assert frappe.local.response.type == "download"
	return json.loads(frappe.local.response.filecontent)


# --- Right of access ------------------------------------------------------------------------------


def test_export_contient_tout_le_dossier_et_lui_seul(monde, canari):
	with as_user(monde.resp_a):
		export = exporter_json(monde.a, canari.ben)
	texte = json.dumps(export, ensure_ascii=False)
	champs = export["dossier"]["champs"]
	assert champs["nom_usage"]["valeur"] == canari.nom
	# Confidential fields (permission level 1) are part of it.
	assert champs["numero_securite_sociale"]["valeur"] == canari.nir
	assert champs["sante_informations"] == {"libelle": "Autres informations de santé", "valeur": "Diabète"}
	assert export["dossier"]["tables"]["referents"]["lignes"] == [{"user": monde.ts_a}]
	[acc] = export["accompagnements"]
	assert acc["numero"] == canari.acc
	assert acc["typologies"] == ["Aide d'urgence"]
	# Given once, by name: not again as the type id summed up for the statistics.
	assert not {"typologie_seule", "plusieurs_typologies"} & set(acc["champs"])
	assert canari.compte_rendu in acc["champs"]["compte_rendu"]["valeur"]
	assert acc["champs"]["montant_demande"]["valeur"] == 250
	# The Responsable's export includes the private reports (rgpd/droits.py explains why).
	assert [c["numero"] for c in acc["comptes_rendus_prives"]] == [canari.crp]
	assert canari.prive in texte
	assert export["complet"] is True
	assert [r["numero"] for r in export["rappels"]] == [canari.rappel_name]
	assert canari.rappel in texte
	assert [d["nom"] for d in export["documents"]] == [canari.fichier]
	assert [c["texte"] for c in export["commentaires"]] == [canari.commentaire]
	# Only that person: nothing of another file of A, nothing of structure B.
	for autre in (monde.ben_a.nom_usage, monde.ben_a.numero_securite_sociale, "Secret A", monde.acc_ben_a):
		assert autre not in texte
	for autre in (monde.ben_b.name, monde.ben_b.nom_usage, "Secret B", monde.b):
		assert autre not in texte


def test_export_pdf_lisible_en_francais(monde, canari):
	from pypdf import PdfReader

	with as_user(monde.resp_a):
		frappe.local.response = frappe._dict()
		droits.exporter_dossier(structure=monde.a, beneficiaire=canari.ben, format="pdf")
	assert frappe.local.response.filename == f"droit-acces-{canari.ben}.pdf"
	pdf = PdfReader(io.BytesIO(frappe.local.response.filecontent))
	texte = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
	for attendu in (
		"droit d'accès, article 15 du RGPD",
		"N° de sécurité sociale",
		canari.nir,
		canari.prive,
		canari.fichier,
		"Aide d'urgence",
		"Vos droits",
	):
		assert attendu in texte, attendu
	assert "Secret A" not in texte


def test_export_inscrit_au_journal(monde, canari):
	avant = frappe.db.count("Access Log", {"reference_document": canari.ben})
	with as_user(monde.resp_a):
		exporter_json(monde.a, canari.ben)
	journal = frappe.get_all(
		"Access Log",
		filters={"reference_document": canari.ben},
		fields=["user", "export_from", "file_type", "method"],
		order_by="creation desc",
	)
	assert len(journal) == avant + 1
	assert journal[0].user == monde.resp_a
	assert journal[0].export_from == "Beneficiaire"
	assert journal[0].file_type == "JSON"
	assert journal[0].method == "suivi_social.rgpd.droits.exporter_dossier"


def test_export_d_un_travailleur_social_sans_les_notes_privees_des_autres(monde, canari):
	with as_user(monde.ts_a):
		auteur = exporter_json(monde.a, canari.ben)
	with as_user(monde.ts_a2):
		collegue = exporter_json(monde.a, canari.ben)
	assert canari.prive in json.dumps(auteur, ensure_ascii=False)
	assert auteur["complet"] is True
	assert canari.prive not in json.dumps(collegue, ensure_ascii=False)
	assert collegue["complet"] is False
	assert collegue["comptes_rendus_prives_non_inclus"] == 1


def test_export_refuse_a_l_agent_d_accueil(monde, canari):
	with as_user(monde.acc_a), pytest.raises(frappe.PermissionError, match="réservé au responsable"):
		exporter_json(monde.a, canari.ben)


def test_export_refuse_hors_structure(monde, canari):
	with as_user(monde.resp_b):
		# The other structure's file, named with its own structure: the structure criterion.
		with pytest.raises(frappe.PermissionError, match="ne vous est pas accessible"):
			exporter_json(monde.a, canari.ben)
		# …or named with the user's structure: not a file of it.
		with pytest.raises(frappe.PermissionError, match="n'appartient pas à la structure"):
			exporter_json(monde.b, canari.ben)


def test_export_refuse_sans_acces_aux_champs_confidentiels(monde, canari, monkeypatch):
	"""A role customised to lose the confidential level would export an incomplete file."""
	from frappe.model.meta import Meta

	monkeypatch.setattr(Meta, "get_permlevel_access", lambda self, *a, **k: [0])
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError, match="informations confidentielles"):
		exporter_json(monde.a, canari.ben)


def test_http_export_en_post_seulement(monde, cles):  # noqa: F811
	token = cles[monde.resp_a]
	args = {"structure": monde.a, "beneficiaire": monde.ben_a.name, "format": "json"}
	assert get(token, EXPORT, **args).status_code == 403
	r = post(token, EXPORT, **args)
	assert r.status_code == 200, r.data[:500]
	assert json.loads(r.data)["numero_dossier"] == monde.ben_a.name
	assert post(cles[monde.acc_a], EXPORT, **args).status_code == 403


# --- Right to erasure -----------------------------------------------------------------------------


def colonnes_texte() -> dict[str, list[str]]:
	"""Every text column of every table of the site's database."""
	colonnes: dict[str, list[str]] = {}
	for table, colonne in frappe.db.sql(
		"""select table_name, column_name from information_schema.columns
		where table_schema = database()
		and data_type in ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext')"""
	):
		colonnes.setdefault(table, []).append(colonne)
	return colonnes


def ou_se_trouvent(valeurs: list[str]) -> list[tuple[str, str, str]]:
	"""(table, column, value) for each text column that holds one of these values: one query per
	table, then per column and value in the few tables that hold any."""
	trouves = []
	for table, colonnes in colonnes_texte().items():
		paires = [(c, v) for c in colonnes for v in valeurs]
		condition = " or ".join(f"`{c}` like %s" for c, _v in paires)
		# Names from information_schema, values as parameters.
		if not frappe.db.sql(
			f"select 1 from `{table}` where {condition} limit 1", [f"%{v}%" for _c, v in paires]
		):
			continue
		for colonne, valeur in paires:
			if frappe.db.sql(f"select 1 from `{table}` where `{colonne}` like %s limit 1", f"%{valeur}%"):
				trouves.append((table, colonne, valeur))
	return trouves


def canaris(v) -> list[str]:
	return [
		v.nom,
		v.prenom,
		v.nir,
		v.telephone[2:],
		v.email,
		v.compte_rendu,
		v.prive,
		v.rappel,
		v.commentaire,
		v.fichier,
	]


def test_effacement_ne_laisse_rien(monde, canari):
	chemin = canari.file.get_full_path()
	assert os.path.exists(chemin)
	# Traces an agent's work leaves: an export (Access Log) and an opening of the file (View Log).
	with as_user(monde.resp_a):
		exporter_json(monde.a, canari.ben)
	frappe.get_doc(
		{"doctype": "View Log", "reference_doctype": "Beneficiaire", "reference_name": canari.ben}
	).insert(ignore_permissions=True)
	# The desk's route history and a traceback quoting the file; an unrelated error stays.
	frappe.get_doc({"doctype": "Route History", "route": f"beneficiaire/{canari.ben}"}).insert(
		ignore_permissions=True
	)
	frappe.get_doc({"doctype": "Error Log", "method": "essai", "error": f"Traceback: {canari.ben}"}).insert(
		ignore_permissions=True
	)
	temoin = frappe.get_doc({"doctype": "Error Log", "method": "essai", "error": "Sans rapport"}).insert(
		ignore_permissions=True
	)
	assert {t for t, _c, _v in ou_se_trouvent(canaris(canari))} >= {
		"tabBeneficiaire",
		"tabVersion",
		"tabComment",
	}
	generation = memoire.redis.Redis.hget(memoire._redis(), memoire._nom(monde.a), memoire.TOUT)

	with as_user(monde.resp_a):
		resultat = droits.effacer_dossier(structure=monde.a, beneficiaire=canari.ben, confirmation=canari.ben)

	assert ou_se_trouvent(canaris(canari)) == []
	# Nor the numbers of the records: logs that named them now name the erasure's reference.
	assert ou_se_trouvent([canari.ben, canari.acc, canari.crp, canari.rappel_name]) == []
	assert not os.path.exists(chemin)
	assert frappe.db.exists("Error Log", temoin.name)
	for doctype, name in (
		("Beneficiaire", canari.ben),
		("Accompagnement", canari.acc),
		("Compte Rendu Prive", canari.crp),
		("Rappel", canari.rappel_name),
		("File", canari.file.name),
	):
		assert not frappe.db.exists(doctype, name)
	# The statistics kept for the structure are recomputed.
	assert memoire.redis.Redis.hget(memoire._redis(), memoire._nom(monde.a), memoire.TOUT) != generation
	assert resultat["comptes"] == {
		"Compte Rendu Prive": 1,
		"Rappel": 1,
		"Accompagnement": 1,
		"Beneficiaire": 1,
		"File": 1,
	}


def test_effacement_trace_sans_donnee_personnelle(monde, canari):
	with as_user(monde.resp_a):
		resultat = droits.effacer_dossier(structure=monde.a, beneficiaire=canari.ben, confirmation=canari.ben)
	audit = frappe.get_doc("Effacement RGPD", {"reference": resultat["reference"]})
	assert audit.structure == monde.a
	assert audit.effectue_par == monde.resp_a
	assert {c.type_document: c.nombre for c in audit.comptes} == {
		"Bénéficiaire": 1,
		"Accompagnement": 1,
		"Compte rendu privé": 1,
		"Rappel": 1,
		"Fichier": 1,
	}
	assert audit.traces_supprimees > 0
	contenu = audit.as_json()
	for valeur in [*canaris(canari), canari.ben, canari.acc, canari.crp]:
		assert valeur not in contenu
	# Read by the Responsable of A only.
	with as_user(monde.resp_a):
		assert audit.name in frappe.get_list("Effacement RGPD", pluck="name")
	with as_user(monde.resp_b):
		assert audit.name not in frappe.get_list("Effacement RGPD", pluck="name")
		assert not frappe.has_permission("Effacement RGPD", "read", audit)
	with as_user(monde.ts_a):
		assert not frappe.has_permission("Effacement RGPD", "read", audit)


def test_effacement_demande_le_numero_du_dossier(monde, canari):
	with as_user(monde.resp_a), pytest.raises(droits.ConfirmationIncorrecte, match="numéro du dossier"):
		droits.effacer_dossier(structure=monde.a, beneficiaire=canari.ben, confirmation=canari.nom)
	assert frappe.db.exists("Beneficiaire", canari.ben)


@pytest.mark.parametrize("role", ["ts_a", "acc_a"])
def test_effacement_refuse_aux_autres_roles(monde, canari, role):
	with as_user(getattr(monde, role)), pytest.raises(frappe.PermissionError, match="réservé au responsable"):
		droits.effacer_dossier(structure=monde.a, beneficiaire=canari.ben, confirmation=canari.ben)
	assert frappe.db.exists("Beneficiaire", canari.ben)


def test_effacement_refuse_hors_structure(monde, canari):
	with as_user(monde.resp_b):
		with pytest.raises(frappe.PermissionError, match="ne vous est pas accessible"):
			droits.effacer_dossier(structure=monde.a, beneficiaire=canari.ben, confirmation=canari.ben)
		with pytest.raises(frappe.PermissionError, match="n'appartient pas à la structure"):
			droits.effacer_dossier(structure=monde.b, beneficiaire=canari.ben, confirmation=canari.ben)
	assert frappe.db.exists("Beneficiaire", canari.ben)


def test_http_effacement_en_post_seulement(monde, cles):  # noqa: F811
	"""GET is refused before anything runs; a POST from the Travailleur social is refused too (a
	committed file is never erased here: the refusals come first)."""
	args = {"structure": monde.a, "beneficiaire": monde.ben_a.name, "confirmation": monde.ben_a.name}
	assert get(cles[monde.resp_a], EFFACEMENT, **args).status_code == 403
	assert post(cles[monde.ts_a], EFFACEMENT, **args).status_code == 403
	frappe.db.rollback()
	assert frappe.db.exists("Beneficiaire", monde.ben_a.name)


def test_formulaire_propose_les_droits_selon_le_role(monde, canari):
	doc = frappe.get_doc("Beneficiaire", canari.ben)
	attendu = {
		monde.resp_a: {"peut_exporter": True, "peut_effacer": True},
		monde.ts_a: {"peut_exporter": True, "peut_effacer": False},
		monde.acc_a: {"peut_exporter": False, "peut_effacer": False},
	}
	for user, droits_attendus in attendu.items():
		with as_user(user):
			assert droits.droits_du_formulaire(doc) == droits_attendus, user


def test_apercu_effacement_reserve_au_responsable(monde, canari):
	with as_user(monde.resp_a):
		apercu = droits.apercu_effacement(structure=monde.a, beneficiaire=canari.ben)
	assert apercu["comptes"]["Accompagnement"] == 1
	assert apercu["comptes"]["File"] == 1
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError, match="réservé au responsable"):
		droits.apercu_effacement(structure=monde.a, beneficiaire=canari.ben)
	with as_user(monde.resp_b), pytest.raises(frappe.PermissionError, match="ne vous est pas accessible"):
		droits.apercu_effacement(structure=monde.a, beneficiaire=canari.ben)
