"""Bench commands of the app (Frappe v15 finds them in `<app>.commands.commands`)."""

import os
import sys

import click
from frappe.commands import get_site, pass_context


@click.command("import-legacy")
@click.argument("fichier", type=click.Path(dir_okay=False))
@click.option("--structure", required=True, help="Structure (raison sociale) qui reçoit les dossiers.")
@click.option("--dry-run", "essai", is_flag=True, help="Essai : rapport complet, rien n'est écrit.")
@click.option(
	"--json", "json_rapport", type=click.Path(dir_okay=False), help="Écrit le rapport ligne par ligne."
)
@click.option("--agent", help="Agent des accompagnements dont le référent n'a pas de correspondance.")
@click.option(
	"--referent", "referents", multiple=True, help="Correspondance CODE=adresse d'un référent (répétable)."
)
@click.option("--user", default="Administrator", help="Utilisateur au nom duquel l'import est fait.")
@pass_context
def import_legacy(context, fichier, structure, essai, json_rapport, agent, referents, user):
	"""Importe un ancien classeur (.xlsx, .xls, .ods, .csv) dans une structure, avec dédoublonnage."""
	import frappe

	from suivi_social.imports import cli

	fichier = chemin_de_l_appelant(fichier)
	if not os.path.isfile(fichier):
		click.secho(f"Le fichier « {fichier} » n'existe pas.", fg="red", err=True)
		sys.exit(1)
	json_rapport = json_rapport and chemin_de_l_appelant(json_rapport)
	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		cli.importer(fichier, structure, essai, json_rapport, agent, referents, user)
	except (frappe.ValidationError, frappe.PermissionError) as erreur:
		from suivi_social.imports.erreurs import message_de

		click.secho(message_de(erreur), fg="red", err=True)
		sys.exit(1)
	finally:
		frappe.destroy()


def chemin_de_l_appelant(chemin: str) -> str:
	"""bench runs commands from sites/: a relative path is the caller's, whose directory the
	shell left in PWD."""
	if os.path.isabs(chemin) or os.path.exists(chemin):
		return os.path.abspath(chemin)
	return os.path.abspath(os.path.join(os.environ.get("PWD", os.getcwd()), chemin))


commands = [import_legacy]
