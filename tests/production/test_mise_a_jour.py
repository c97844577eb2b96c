"""`./suivi upgrade` on a site made by the previous release (README, « Mettre à jour »).

The starting point is a database dump made by the app as it was at commit 7374c10 (issue 9), kept as
a small fixture (tests/production/donnees/, built by scripts/fixture_mise_a_jour.sh): restoring a
dump is what a CCAS's real upgrade starts from, takes seconds, and needs neither the old code nor
the network in CI. The dump carries files, accompaniments and a manager's customisations (a Custom
Field with a value, a Property Setter); the JSON beside it is what they read as under the old code.

1. A migration that fails halfway (a patch that deletes data, commits, then raises, injected through
   a copy of the app first on PYTHONPATH: the shared apps/suivi_social is never edited) ends with a
   non-zero exit, a French message, and the site as it was: same data, old schema.
2. The same failure on a site with a backup encryption key, as every production site has one: the
   backup is encrypted (`bench sauvegarder`), and the rollback decrypts it, files included.
3. The real upgrade then migrates it: data and customisations intact, new columns present.
"""

import json
import re
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from suivi_social.setup.sauvegardes import est_chiffre, se_dechiffre
from tests.conftest import BENCH, SITES
from tests.outils_bench import admin_mariadb, bench_env, empreintes, supprimer_site

DONNEES = Path(__file__).parent / "donnees"
COMMIT = "7374c10"
DUMP = DONNEES / f"site-{COMMIT}.sql.gz"
RELEVE_ATTENDU = json.loads((DONNEES / f"site-{COMMIT}.json").read_text())
SUIVI = BENCH / "suivi"
ENV = bench_env()
APP = BENCH / "apps" / "suivi_social" / "suivi_social"

PATCH_EN_ECHEC = """import os

import frappe


def execute():
	# Half an upgrade: data already changed and committed, files too, then a failure.
	frappe.db.delete("Accompagnement", {"structure": "CCAS de Mise-à-Jour"})
	frappe.db.set_value("Beneficiaire", {"nom_usage": "Martin"}, "prenoms", "ABÎMÉ")
	frappe.db.commit()
	public = frappe.get_site_path("public", "files", "temoin-public.txt")
	if os.path.exists(public):
		with open(public, "w") as f:
			f.write("ABÎMÉ")
	prive = frappe.get_site_path("private", "files", "temoin-prive.txt")
	if os.path.exists(prive):
		os.remove(prive)
	raise Exception("échec simulé de la migration")
"""
# The files the failing patch damages, when a test puts them on the site.
TEMOINS = {
	"public/files/temoin-public.txt": b"Affiche du CCAS, fichier public",
	"private/files/temoin-prive.txt": "Avis d'imposition de Louise Martin, fichier privé".encode(),
}


def bench(*args: str) -> subprocess.CompletedProcess:
	return subprocess.run(
		["bench", *args], cwd=BENCH, env=ENV, capture_output=True, text=True, timeout=900, check=True
	)


def releve(site: str) -> dict:
	sortie = subprocess.run(
		[str(BENCH / "env/bin/python"), "-m", "tests.production.donnees_mise_a_jour", site],
		cwd=SITES,
		env={**ENV, "PYTHONPATH": str(BENCH)},
		capture_output=True,
		text=True,
		timeout=300,
		check=True,
	).stdout
	return json.loads(sortie[sortie.index("{") :])


def colonnes_nouvelles_absentes(site: str) -> set[str]:
	"""Fields of the current Beneficiaire DocType that the site's table lacks (the old schema's gap)."""
	doctype = json.loads((APP / "dossiers/doctype/beneficiaire/beneficiaire.json").read_text())
	champs = {
		f["fieldname"]
		for f in doctype["fields"]
		if not f.get("is_virtual")
		and f["fieldtype"]
		not in ("Section Break", "Column Break", "Tab Break", "HTML", "Table", "Table MultiSelect")
	}
	db_name = json.loads((SITES / site / "site_config.json").read_text())["db_name"]
	admin = admin_mariadb()
	colonnes = subprocess.run(
		[
			"mariadb",
			"--protocol=tcp",
			"-h",
			"127.0.0.1",
			"-u",
			admin["DB_ROOT_USER"],
			f"-p{admin['DB_ROOT_PASSWORD']}",
			"-N",
			"-e",
			f"select column_name from information_schema.columns where table_schema='{db_name}' and table_name='tabBeneficiaire'",
		],
		capture_output=True,
		text=True,
		check=True,
	).stdout.split()
	return champs - set(colonnes)


def suivi_upgrade(site: str, **env) -> subprocess.CompletedProcess:
	return subprocess.run(
		[str(SUIVI), "upgrade", "--site", site, "--sans-git"],
		cwd=BENCH,
		env={**ENV, **env},
		capture_output=True,
		text=True,
		timeout=1800,
	)


@contextmanager
def site_depuis_le_dump():
	"""A throw-away site whose database is the previous release's dump."""
	site = f"maj-{uuid.uuid4().hex[:8]}.localhost"
	admin = admin_mariadb()
	bench(
		"new-site",
		site,
		"--source-sql",
		str(DUMP),
		"--db-root-username",
		admin["DB_ROOT_USER"],
		"--db-root-password",
		admin["DB_ROOT_PASSWORD"],
		"--admin-password",
		"admin",
		"--force",
	)
	try:
		yield site
	finally:
		supprimer_site(site)


@pytest.fixture(scope="module")
def site_ancien():
	with site_depuis_le_dump() as site:
		yield site


@pytest.fixture
def site_ancien_chiffre():
	"""The previous release's site as production has it: encrypted backups on and a key, given the
	way the app gives them (install and migrate), and a public and a private file."""
	with site_depuis_le_dump() as site:
		bench("--site", site, "execute", "suivi_social.setup.sauvegardes.activer_sauvegardes_chiffrees")
		for chemin, contenu in TEMOINS.items():
			(SITES / site / chemin).write_bytes(contenu)
		yield site


def cle_de_sauvegarde(site: str) -> str | None:
	return json.loads((SITES / site / "site_config.json").read_text()).get("backup_encryption_key")


@pytest.fixture
def application_avec_un_patch_en_echec(tmp_path):
	"""A copy of the app whose patches.txt ends with a failing patch, first on PYTHONPATH."""
	copie = tmp_path / "suivi_social"
	shutil.copytree(APP, copie, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
	(copie / "patches" / "echec_de_test.py").write_text(PATCH_EN_ECHEC)
	patches = (copie / "patches.txt").read_text()
	assert "[post_model_sync]" in patches
	(copie / "patches.txt").write_text(patches.rstrip("\n") + "\nsuivi_social.patches.echec_de_test\n")
	# The upgrade rebuilds the assets, and bench links sites/assets/suivi_social to the public folder
	# of the app it imports: the copy, deleted with tmp_path. Put the bench's own link back, or every
	# desk page served afterwards (the browser tests) misses the app's JS and CSS.
	lien = SITES / "assets" / "suivi_social"
	cible = lien.readlink() if lien.is_symlink() else None
	yield str(tmp_path)
	if cible is not None and lien.is_symlink() and lien.readlink() != cible:
		lien.unlink()
		lien.symlink_to(cible)


def verifier_echec_restaure(resultat: subprocess.CompletedProcess, site: str) -> None:
	"""The upgrade failed on the injected patch, said so in French, and said the site is restored."""
	sortie = resultat.stdout + resultat.stderr
	assert resultat.returncode != 0, sortie[-3000:]
	assert "échec simulé de la migration" in sortie
	assert f"Le site {site} est revenu à son état d'avant la mise à jour" in sortie, sortie[-3000:]
	assert "Mise à jour incomplète" in sortie


def test_une_migration_en_echec_rend_le_site_tel_qu_il_etait(site_ancien, application_avec_un_patch_en_echec):
	assert releve(site_ancien) == RELEVE_ATTENDU
	manquantes = colonnes_nouvelles_absentes(site_ancien)
	assert manquantes, "le site de départ a déjà le schéma actuel : l'essai ne prouverait rien"

	resultat = suivi_upgrade(site_ancien, PYTHONPATH=application_avec_un_patch_en_echec)

	verifier_echec_restaure(resultat, site_ancien)
	# Data back (the patch's committed damage undone), and the schema of before (new columns gone).
	assert releve(site_ancien) == RELEVE_ATTENDU
	assert colonnes_nouvelles_absentes(site_ancien) == manquantes
	sauvegardes = list((SITES / site_ancien / "private/avant-mise-a-jour").glob("*/*-database.sql.gz"))
	assert len(sauvegardes) == 1


def test_une_migration_en_echec_rend_le_site_chiffre_tel_qu_il_etait(
	site_ancien_chiffre, application_avec_un_patch_en_echec
):
	site = site_ancien_chiffre
	cle = cle_de_sauvegarde(site)
	assert cle, "le site n'a pas de clé de sauvegarde : l'essai ne prouverait rien"
	assert releve(site) == RELEVE_ATTENDU
	fichiers = empreintes(site)
	assert set(TEMOINS) <= set(fichiers)
	manquantes = colonnes_nouvelles_absentes(site)

	resultat = suivi_upgrade(site, PYTHONPATH=application_avec_un_patch_en_echec)

	verifier_echec_restaure(resultat, site)
	# The backup is the app's encrypted one: database, public and private files, none in clear.
	(dossier,) = (SITES / site / "private/avant-mise-a-jour").iterdir()
	# Frappe names them DATE-SITE_SLUG-…; the date holds no dash.
	sauvegardes = {p.name.split("-", 1)[1]: p for p in dossier.iterdir() if p.suffix != ".json"}
	slug = site.replace(".", "_")
	fins = ("database-enc.sql.gz", "files-enc.tgz", "private-files-enc.tgz")
	assert set(sauvegardes) == {f"{slug}-{fin}" for fin in fins}
	for nom, chemin in sauvegardes.items():
		assert est_chiffre(str(chemin)), f"{nom} : pas chiffré"
		assert not chemin.read_bytes().startswith(b"\x1f\x8b"), f"{nom} : un gzip en clair"
		assert se_dechiffre(str(chemin), cle), f"{nom} : ne se déchiffre pas avec la clé du site"
	# Data, schema and files as before; the key kept, or the backups above could no longer be read.
	assert releve(site) == RELEVE_ATTENDU
	assert colonnes_nouvelles_absentes(site) == manquantes
	assert empreintes(site) == fichiers
	assert cle_de_sauvegarde(site) == cle


def test_la_mise_a_jour_garde_les_donnees_et_les_personnalisations(site_ancien):
	resultat = suivi_upgrade(site_ancien)

	sortie = resultat.stdout + resultat.stderr
	assert resultat.returncode == 0, sortie[-3000:]
	assert re.search(rf"{re.escape(site_ancien)} : migré", sortie)
	assert releve(site_ancien) == RELEVE_ATTENDU
	assert colonnes_nouvelles_absentes(site_ancien) == set()
