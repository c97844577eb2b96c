"""Backups that restore (issue 12 §2): a real encrypted backup of the test site, database and files
(`bench sauvegarder`, suivi_social/setup/sauvegardes.py), restored by `./suivi restaurer` into a
fresh throw-away site, then compared table by table, row by row, and file by file.

The data is committed on the test site (idempotent, as tests/factories.py's Monde): the backup runs
in another process, which only sees committed rows. The manager's customisations it adds (a Custom
Field, a Property Setter) are removed at the end.
"""

import gzip
import json
import subprocess
from pathlib import Path

import frappe
import pytest
from frappe.custom.doctype.custom_field.custom_field import create_custom_field
from frappe.utils import add_days, now_datetime, today

from tests.conftest import BENCH, SITES, TEST_SITE
from tests.factories import jeton_api
from tests.outils_bench import bench_env, connexion_admin, empreintes, supprimer_site

NOTE_PRIVEE = "<p>Note privée de la sauvegarde : ne pas divulguer</p>"
CONTENU_PIECE = "Avis d'imposition de Léa Martin, pièce jointe sauvegardée".encode()
NOM_PIECE = "sauvegarde-avis-imposition.txt"
CHAMP_PERSONNALISE = "numero_allocataire_sauvegarde"


# What `bench migrate`, run by ./suivi restaurer on the restored site, rewrites by design. Every
# other row of every table of the database must come back identical, column by column.
def sans_les_ecarts_attendus(table: str, colonnes: list[str], lignes: list[tuple], sauvegarde) -> list:
	ligne = [dict(zip(colonnes, valeurs, strict=True)) for valeurs in lignes]
	if table == "tabCustom Field":
		# The app's own Custom Fields (on File and Notification: permissions/fichiers.py,
		# pieces_jointes.py, canaux.py) are saved again by every migrate's seed: a new `modified`.
		for champ in ligne:
			if champ["is_system_generated"]:
				champ.pop("modified")
	elif table == "tabVersion":
		# Migrate rewrites the list of installed apps, and keeps a Version of that change.
		ligne = [
			v
			for v in ligne
			if not (v["ref_doctype"] == "Installed Applications" and v["creation"] > sauvegarde)
		]
	elif table == "tabInstalled Application":
		# ...the rows of that list are rebuilt from the apps on the bench: new rows, and on a site
		# never migrated before its backup (a fresh CI site) none at all on the source side.
		ligne = []
	elif table == "tabSingles":
		# The restore writes the scheduler's state (off here: --planificateur-arrete, a throw-away site
		# runs no jobs), and migrate saves the list of apps again: both stamp a new `modified`.
		reecrits = {
			("System Settings", "enable_scheduler"),
			("System Settings", "modified"),
			("Installed Applications", "modified"),
		}
		ligne = [v for v in ligne if (v["doctype"], v["field"]) not in reecrits]
	return sorted(ligne, key=repr)


# What the brief names, and every DocType of the app: these must be identical, with no exception.
TOUJOURS_IDENTIQUES = (
	"File",
	"User",
	"Has Role",
	"User Permission",
	"Custom Field",
	"Property Setter",
	"DocPerm",
	"Custom DocPerm",
	"Version",
	"Role",
)


def lancer(*commande: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
	return subprocess.run(
		list(commande),
		cwd=BENCH,
		env=env or bench_env(),
		capture_output=True,
		text=True,
		timeout=timeout,
	)


def construire_les_donnees(monde) -> dict:
	"""A site's data as a CCAS has it, on top of the Monde (two structures, a user of each role with
	their User Permissions, beneficiaries with accompaniments)."""
	if not frappe.db.exists("Rappel", {"titre": "Sauvegarde : relancer la CAF"}):
		frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": "Sauvegarde : relancer la CAF",
				"date_echeance": add_days(today(), 3),
				"assigne_a": monde.ts_a,
				"structure": monde.a,
				"beneficiaire": monde.ben_a.name,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Compte Rendu Prive", {"accompagnement": monde.acc_ben_a, "texte": NOTE_PRIVEE}):
		frappe.get_doc(
			{"doctype": "Compte Rendu Prive", "accompagnement": monde.acc_ben_a, "texte": NOTE_PRIVEE}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("File", {"file_name": NOM_PIECE, "attached_to_name": monde.ben_a.name}):
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": NOM_PIECE,
				"content": CONTENU_PIECE,
				"attached_to_doctype": "Beneficiaire",
				"attached_to_name": monde.ben_a.name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
	# A manager's customisations, as Customize Form writes them.
	create_custom_field(
		"Beneficiaire",
		{
			"fieldname": CHAMP_PERSONNALISE,
			"label": "N° allocataire (sauvegarde)",
			"fieldtype": "Data",
			"insert_after": "telephone",
		},
	)
	frappe.make_property_setter(
		{"doctype": "Beneficiaire", "fieldname": "telephone", "property": "bold", "value": "1"},
		validate_fields_for_doctype=False,
	)
	# A Version row through the real save path (tests skip Versions unless asked).
	dossier = frappe.get_doc("Beneficiaire", monde.ben_b.name)
	dossier.set(CHAMP_PERSONNALISE, frappe.generate_hash(length=8))
	dossier.save(ignore_permissions=True, ignore_version=False)
	# A Password field (an API secret), encrypted with the site's `encryption_key`.
	jeton = jeton_api(monde.resp_a)
	frappe.db.commit()
	return {"secret_api": jeton.rsplit(":", 1)[1], "nom": monde.ben_a.nom_usage}


def retirer_les_donnees(monde) -> None:
	"""What construire_les_donnees committed on the shared world (its rappel is assigned to the
	Monde's social worker: the rappel tests that run later count theirs exactly), then the
	customisations."""
	frappe.db.rollback()
	for doctype, filtres in (
		("Rappel", {"titre": "Sauvegarde : relancer la CAF"}),
		("Compte Rendu Prive", {"accompagnement": monde.acc_ben_a, "texte": NOTE_PRIVEE}),
		("File", {"file_name": NOM_PIECE, "attached_to_name": monde.ben_a.name}),
	):
		for nom in frappe.get_all(doctype, filters=filtres, pluck="name"):
			frappe.delete_doc(doctype, nom, ignore_permissions=True, force=True, delete_permanently=True)
	frappe.db.commit()
	retirer_les_personnalisations()


def retirer_les_personnalisations() -> None:
	for nom in frappe.get_all(
		"Custom Field", {"dt": "Beneficiaire", "fieldname": CHAMP_PERSONNALISE}, pluck="name"
	):
		frappe.delete_doc("Custom Field", nom, ignore_permissions=True, force=True)
	frappe.db.delete(
		"Property Setter", {"doc_type": "Beneficiaire", "field_name": "telephone", "property": "bold"}
	)
	frappe.db.commit()
	frappe.clear_cache(doctype="Beneficiaire")


def db_name(site: str) -> str:
	return json.loads((SITES / site / "site_config.json").read_text())["db_name"]


def instantane(base: str) -> dict[str, tuple[list[str], list[tuple]]]:
	"""Every table of a database: its columns, and its rows in a stable order."""
	with connexion_admin() as connexion, connexion.cursor() as curseur:
		curseur.execute(
			"select table_name from information_schema.tables where table_schema=%s and table_type='BASE TABLE'",
			(base,),
		)
		tables = [ligne[0] for ligne in curseur.fetchall()]
		contenu = {}
		for table in tables:
			curseur.execute(f"select * from `{base}`.`{table}`")
			colonnes = [d[0] for d in curseur.description]
			contenu[table] = (colonnes, sorted(curseur.fetchall(), key=repr))
	return contenu


def dechiffrer(chemin: str, cle: str) -> bytes:
	return subprocess.run(
		["gpg", "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase-fd", "0", "-d", chemin],
		input=cle.encode(),
		capture_output=True,
		check=True,
	).stdout


@pytest.fixture(scope="module")
def restauration(_monde, tmp_path_factory):
	"""The test site backed up, and restored into a new site; dropped at the end."""
	try:
		donnees = construire_les_donnees(_monde)
		dossier = tmp_path_factory.mktemp("sauvegardes")
		heure = now_datetime()
		sortie = lancer("bench", "--site", TEST_SITE, "sauvegarder", "--backup-path", str(dossier))
		assert sortie.returncode == 0, sortie.stdout + sortie.stderr
		source = instantane(db_name(TEST_SITE))
		fichiers_source = empreintes(TEST_SITE)
		fichiers = {
			"base": next(dossier.glob("*-database-enc.sql.gz")),
			"publics": next(dossier.glob("*-files-enc.tgz")),
			"prives": next(dossier.glob("*-private-files-enc.tgz")),
			"config": next(dossier.glob("*-site_config_backup-enc.json")),
		}
		site = f"restauration-{frappe.generate_hash(length=8)}.localhost"
		try:
			restaure = lancer(
				str(BENCH / "suivi"),
				"restaurer",
				site,
				str(fichiers["base"]),
				"--fichiers-publics",
				str(fichiers["publics"]),
				"--fichiers-prives",
				str(fichiers["prives"]),
				"--config",
				str(fichiers["config"]),
				"--planificateur-arrete",
			)
			assert restaure.returncode == 0, restaure.stdout + restaure.stderr
			yield {
				"site": site,
				"heure": heure,
				"fichiers": fichiers,
				"source": source,
				"restaure": instantane(db_name(site)),
				"fichiers_source": fichiers_source,
				"fichiers_restaures": empreintes(site),
				"donnees": donnees,
				"cle": json.loads(fichiers["config"].read_text())["backup_encryption_key"],
				"sortie": restaure.stdout + restaure.stderr,
			}
		finally:
			supprimer_site(site)
	finally:
		retirer_les_donnees(_monde)


def tables_de(doctypes) -> set[str]:
	return {f"tab{d}" for d in doctypes}


def test_chaque_table_revient_identique(restauration):
	source, restaure = restauration["source"], restauration["restaure"]
	app = tables_de(
		frappe.get_all("DocType", {"module": ["in", frappe.get_module_list("suivi_social")]}, pluck="name")
	)
	assert app | tables_de(TOUJOURS_IDENTIQUES) | {"__Auth"} <= set(source)
	assert set(restaure) == set(source)
	differentes = {}
	for table in source:
		if ecart := ecarts(table, source[table], restaure[table], restauration["heure"]):
			differentes[table] = ecart
	assert not differentes, lisible(differentes)
	# The data of the app really is there (not two empty tables compared).
	assert len(source["tabBeneficiaire"][1]) >= 2
	assert len(source["tabCompte Rendu Prive"][1]) >= 1
	assert len(source["tabUser Permission"][1]) >= 6


def lisible(ecarts_par_table: dict) -> str:
	return json.dumps(ecarts_par_table, default=str, ensure_ascii=False, indent=1)


def ecarts(table: str, avant, apres, heure) -> dict:
	"""What differs between two snapshots of a table, once the expected changes are set aside:
	columns, rows lost, rows added (the first few)."""
	(colonnes, lignes), (colonnes_r, lignes_r) = avant, apres
	if colonnes != colonnes_r:
		return {"colonnes": (colonnes, colonnes_r)}
	lignes = sans_les_ecarts_attendus(table, colonnes, lignes, heure)
	lignes_r = sans_les_ecarts_attendus(table, colonnes, lignes_r, heure)
	perdues = [ligne for ligne in lignes if ligne not in lignes_r]
	ajoutees = [ligne for ligne in lignes_r if ligne not in lignes]
	return {"perdues": perdues[:3], "ajoutees": ajoutees[:3]} if perdues or ajoutees else {}


def test_les_fichiers_reviennent_a_l_octet_pres(restauration):
	source, restaure = restauration["fichiers_source"], restauration["fichiers_restaures"]
	assert any(chemin.endswith(NOM_PIECE) for chemin in source)
	assert restaure == source


def test_les_mots_de_passe_enregistres_se_dechiffrent_sur_le_site_restaure(restauration):
	"""The restored site carries the backed-up site's `encryption_key` (from --config): the API
	secret, stored encrypted in __Auth, decrypts to the same value."""
	sortie = lancer(
		"bench",
		"--site",
		restauration["site"],
		"execute",
		"frappe.utils.password.get_decrypted_password",
		"--args",
		json.dumps(["User", "resp-a@test.fr", "api_secret"]),
	)
	assert sortie.returncode == 0, sortie.stderr
	assert restauration["donnees"]["secret_api"] in sortie.stdout


def test_les_fichiers_de_sauvegarde_sont_chiffres(restauration):
	cle = restauration["cle"]
	nom = restauration["donnees"]["nom"]
	for genre in ("base", "publics", "prives"):
		brut = Path(restauration["fichiers"][genre]).read_bytes()
		assert not brut.startswith(b"\x1f\x8b"), f"{genre} : un gzip en clair"
		with pytest.raises(OSError):
			gzip.decompress(brut)
		assert b"CREATE TABLE" not in brut and nom.encode() not in brut and CONTENU_PIECE not in brut
	# With the key, the same files hold what the checks above looked for (they can fail).
	base = gzip.decompress(dechiffrer(str(restauration["fichiers"]["base"]), cle))
	assert b"CREATE TABLE" in base and nom.encode() in base
	prives = gzip.decompress(dechiffrer(str(restauration["fichiers"]["prives"]), cle))
	assert CONTENU_PIECE in prives
	# The key never appears in what the restore printed.
	assert cle not in restauration["sortie"]


@pytest.mark.parametrize(
	"cle, message",
	[
		(None, "Cette sauvegarde est chiffrée : donnez sa clé"),
		("pas-la-bonne-cle", "La clé donnée ne déchiffre pas"),
	],
)
def test_restaurer_sans_la_bonne_cle_echoue_clairement_sans_rien_creer(restauration, cle, message):
	site = f"sans-cle-{frappe.generate_hash(length=8)}.localhost"
	env = bench_env()
	env.pop("SUIVI_CLE_SAUVEGARDE", None)
	if cle:
		env["SUIVI_CLE_SAUVEGARDE"] = cle
	try:
		sortie = lancer(
			str(BENCH / "suivi"), "restaurer", site, str(restauration["fichiers"]["base"]), env=env
		)
		assert sortie.returncode != 0
		assert message in sortie.stderr
		assert not (SITES / site).exists()
	finally:
		supprimer_site(site)


# A gpg that fails as on a full disk: without output, or with its output cut short. Decryption
# (the check of `bench sauvegarder`) goes to the real gpg.
GPG_SANS_SORTIE = """#!/bin/sh
case " $* " in *" -c "*) echo 'gpg: write error: No space left on device' >&2; exit 2;; esac
exec /usr/bin/gpg "$@"
"""
GPG_TRONQUE = """#!/bin/sh
case " $* " in *" -c "*)
	/usr/bin/gpg "$@" || exit 2
	for f; do :; done
	truncate -s $(( $(stat -c %s "$f.gpg") / 2 )) "$f.gpg"
	echo 'gpg: write error: No space left on device' >&2; exit 2;;
esac
exec /usr/bin/gpg "$@"
"""


@pytest.mark.parametrize("faux_gpg", [GPG_SANS_SORTIE, GPG_TRONQUE], ids=["sans-sortie", "tronque"])
def test_une_sauvegarde_que_gpg_ne_chiffre_pas_est_refusee_et_effacee(tmp_path, faux_gpg):
	"""gpg failing (disk full): Frappe's own `bench backup` exits 0 and leaves, under `-enc` names,
	a readable file (« Files are stored without encryption ») or a truncated one (the pinned
	version's behaviour, checked so that an upgrade that changes it is noticed); `bench
	sauvegarder` fails and leaves nothing."""
	faux = tmp_path / "bin"
	faux.mkdir()
	(faux / "gpg").write_text(faux_gpg)
	(faux / "gpg").chmod(0o755)
	env = bench_env()
	env["PATH"] = f"{faux}:{env['PATH']}"

	frappe_seul = tmp_path / "frappe"
	sortie = lancer(
		"bench", "--site", TEST_SITE, "backup", "--with-files", "--backup-path", str(frappe_seul), env=env
	)
	assert sortie.returncode == 0
	base = next(frappe_seul.glob("*-database-enc.sql.gz"))
	if faux_gpg == GPG_SANS_SORTIE:
		assert b"CREATE TABLE" in gzip.decompress(base.read_bytes())
	else:
		cle = frappe.conf.backup_encryption_key
		with pytest.raises(subprocess.CalledProcessError):
			dechiffrer(str(base), cle)

	dossier = tmp_path / "suivi"
	sortie = lancer("bench", "--site", TEST_SITE, "sauvegarder", "--backup-path", str(dossier), env=env)
	assert sortie.returncode == 1
	assert "n'a pas pu être chiffrée" in sortie.stderr
	assert list(dossier.iterdir()) == []


def test_chaque_site_chiffre_ses_sauvegardes_et_les_garde_sept_jours():
	"""What install and every migrate set (setup/sauvegardes.py): the test site was built that way."""
	from suivi_social.setup.sauvegardes import JOURS_DE_SAUVEGARDE

	assert frappe.db.get_single_value("System Settings", "encrypt_backup") == 1
	assert frappe.db.get_single_value("System Settings", "backup_limit") >= JOURS_DE_SAUVEGARDE
	assert len(frappe.conf.backup_encryption_key) >= 32
	assert int(frappe.conf.keep_backups_for_hours) >= JOURS_DE_SAUVEGARDE * 24


def test_sans_chiffrement_aucune_sauvegarde(tmp_path):
	from suivi_social.setup.sauvegardes import SauvegardeImpossible, sauvegarder

	frappe.db.set_single_value("System Settings", "encrypt_backup", 0)
	oublier_les_reglages()
	try:
		with pytest.raises(SauvegardeImpossible, match="chiffrement des sauvegardes n'est pas activé"):
			sauvegarder(str(tmp_path))
	finally:
		frappe.db.rollback()
		oublier_les_reglages()
	assert list(tmp_path.iterdir()) == []


def oublier_les_reglages() -> None:
	"""frappe.get_system_settings keeps System Settings in the process."""
	try:
		del frappe.local.system_settings
	except AttributeError:
		pass
