"""Encrypted backups of a site: Frappe's own backup (frappe/utils/backups.py), encryption on.

Frappe does the work: `new_backup` dumps the database, tars the public and private files, encrypts
them with gpg when System Settings `encrypt_backup` is on (passphrase: `backup_encryption_key` of
site_config.json), and first deletes the backups older than `keep_backups_for_hours`
(`delete_temp_backups`); the hourly `delete_downloadable_backups` keeps System Settings
`backup_limit` database dumps. What this module adds, and why:
- the settings, on every site (install and migrate): encryption on, a key, N days kept;
- a check after each backup. Frappe's `backup_encryption` ignores gpg's exit code: when gpg fails
  it prints « Files are stored without encryption » and leaves a plain-text file named `-enc`;
  when the disk fills up during encryption it renames gpg's truncated output over the backup.
  Either way `bench backup` exits 0 (benchmarks/resultats/exercices_pannes.txt). Here every file
  must be encrypted and decrypt with the key into an intact archive, or the backup fails and this
  run's files are deleted: never a readable copy of the files on disk, never a useless one.

The site_config backup that Frappe writes next to them is NOT encrypted (it holds the keys): it
stays on the machine, and the keys go to the operator's safe (README, « Sauvegardes et
restauration »).
"""

import os
import shutil
import subprocess

import frappe
from frappe import _
from frappe.utils import cint
from frappe.utils.backups import get_or_generate_backup_encryption_key, new_backup

# Daily backups kept this many days (System Settings « Nombre de sauvegardes », and
# `keep_backups_for_hours` in site_config.json, where an operator may set more).
JOURS_DE_SAUVEGARDE = 7


class SauvegardeImpossible(frappe.ValidationError):
	pass


def activer_sauvegardes_chiffrees() -> None:
	"""Encryption on, the site's key created (written to site_config.json, never printed), and the
	retention of JOURS_DE_SAUVEGARDE days. Idempotent; a longer retention set by hand is kept."""
	from frappe.installer import update_site_config

	get_or_generate_backup_encryption_key()
	if not cint(frappe.conf.get("keep_backups_for_hours")):
		update_site_config("keep_backups_for_hours", JOURS_DE_SAUVEGARDE * 24)
	settings = frappe.get_single("System Settings")
	if not settings.encrypt_backup or cint(settings.backup_limit) < JOURS_DE_SAUVEGARDE:
		settings.encrypt_backup = 1
		settings.backup_limit = max(cint(settings.backup_limit), JOURS_DE_SAUVEGARDE)
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)


def est_chiffre(chemin: str) -> bool:
	"""What `bench restore` itself looks at to decide that a backup is encrypted (`file` names a
	cipher, frappe/commands/site.py `_restore`)."""
	sortie = subprocess.run(["file", "-b", chemin], capture_output=True, text=True, check=True).stdout
	return "cipher" in sortie or "encrypted" in sortie


def se_dechiffre(chemin: str, cle: str) -> bool:
	"""The file decrypts with the site's key into an intact gzip stream: gpg checks its integrity
	code, gzip its CRC. A file that gpg could not finish (disk full) fails here, although `file`
	calls it encrypted: Frappe ignores gpg's exit code and renames the truncated output over the
	backup. The key goes through a pipe, never on a command line (`ps`)."""
	lecture, ecriture = os.pipe()
	os.write(ecriture, cle.encode())
	os.close(ecriture)
	gpg = subprocess.Popen(
		[
			"gpg",
			"--batch",
			"--quiet",
			"--pinentry-mode",
			"loopback",
			"--passphrase-fd",
			str(lecture),
			"-d",
			chemin,
		],
		pass_fds=(lecture,),
		stdout=subprocess.PIPE,
		stderr=subprocess.DEVNULL,
	)
	os.close(lecture)
	gzip_t = subprocess.run(["gzip", "-t"], stdin=gpg.stdout, capture_output=True)
	gpg.stdout.close()
	return gpg.wait() == 0 and gzip_t.returncode == 0


def sauvegarder(dossier: str | None = None) -> dict[str, str]:
	"""An encrypted backup of the current site, database and files, in `dossier` (default: the
	site's private/backups). Returns the paths; raises SauvegardeImpossible, with nothing left of
	this run on disk, when the backup could not be made or is not encrypted."""
	from frappe.utils.backups import get_backup_path

	if not frappe.get_system_settings("encrypt_backup") or not frappe.conf.get("backup_encryption_key"):
		raise SauvegardeImpossible(
			_(
				"Le chiffrement des sauvegardes n'est pas activé sur le site {0} : lancez « bench --site {0} migrate »."
			).format(frappe.local.site)
		)
	for programme in ("gpg", "file", "gzip", "tar"):
		if not shutil.which(programme):
			raise SauvegardeImpossible(
				_("Le programme « {0} » manque : installez-le (./suivi setup le fait).").format(programme)
			)
	dossier = dossier or get_backup_path()
	os.makedirs(dossier, exist_ok=True)
	avant = set(os.listdir(dossier))
	try:
		odb = new_backup(ignore_files=False, compress=True, force=True, backup_path=dossier)
	except Exception as erreur:
		# The folder as it was before. Frappe removes the failed step's file only: without a rollback
		# callback the earlier steps' files stay (a dump without its files), and with one, the two
		# removals registered for the files' step both name the last path (a late-bound lambda in
		# `delete_if_step_fails`), so the second raises and the public tar stays.
		for nom in set(os.listdir(dossier)) - avant:
			os.remove(os.path.join(dossier, nom))
		raise SauvegardeImpossible(
			_("La sauvegarde du site {0} a échoué, rien n'en est gardé : {1}").format(
				frappe.local.site, _resume(erreur)
			)
		) from erreur
	fichiers = {
		"base": odb.backup_path_db,
		"fichiers_publics": odb.backup_path_files,
		"fichiers_prives": odb.backup_path_private_files,
	}
	cle = frappe.conf.get("backup_encryption_key")
	en_clair = [
		chemin for chemin in fichiers.values() if not (os.path.exists(chemin) and est_chiffre(chemin))
	]
	illisibles = [
		chemin for chemin in fichiers.values() if chemin not in en_clair and not se_dechiffre(chemin, cle)
	]
	if en_clair or illisibles:
		for chemin in [*fichiers.values(), odb.backup_path_conf]:
			if chemin and os.path.exists(chemin):
				os.remove(chemin)
		raise SauvegardeImpossible(
			_(
				"La sauvegarde du site {0} n'a pas pu être chiffrée ({1}) : elle est supprimée. Vérifiez la place libre sur le disque et gpg."
			).format(frappe.local.site, ", ".join(os.path.basename(c) for c in en_clair + illisibles))
		)
	fichiers["config"] = odb.backup_path_conf
	return fichiers


def _resume(erreur: Exception) -> str:
	"""The useful line of a failed shell step (tar, mariadb-dump, gzip): the last of its stderr."""
	texte = getattr(erreur, "err", None) or str(erreur)
	if isinstance(texte, bytes):
		texte = texte.decode(errors="replace")
	lignes = [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]
	return lignes[-1] if lignes else repr(erreur)
