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
@click.option(
	"--decisions",
	type=click.Path(dir_okay=False),
	help="Décisions sur les doublons possibles (JSON) : les cas « a_verifier » du rapport, chacun avec "
	'"decision": "meme" ou "distinctes".',
)
@pass_context
def import_legacy(context, fichier, structure, essai, json_rapport, agent, referents, user, decisions):
	"""Importe un ancien classeur (.xlsx, .xls, .ods, .csv) dans une structure, avec dédoublonnage."""
	import frappe

	from suivi_social.imports import cli

	fichier = chemin_de_l_appelant(fichier)
	if not os.path.isfile(fichier):
		click.secho(f"Le fichier « {fichier} » n'existe pas.", fg="red", err=True)
		sys.exit(1)
	json_rapport = json_rapport and chemin_de_l_appelant(json_rapport)
	decisions = decisions and chemin_de_l_appelant(decisions)
	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		cli.importer(fichier, structure, essai, json_rapport, agent, referents, user, decisions=decisions)
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


@click.command("nouvelle-structure-ccas")
@click.option("--structure", help="Raison sociale de la structure, par exemple « CCAS de Montreuil ».")
@click.option("--responsable", help="Adresse e-mail de son premier responsable de structure.")
@click.option(
	"--prefixe", help="Préfixe des numéros de dossier (2 à 10 lettres ou chiffres) ; déduit du nom sinon."
)
@click.option("--type", "type_structure", help="Type de structure (CCAS par défaut, CIAS, Centre social…).")
@click.option("--prenom", help="Prénom du responsable ; déduit d'une adresse prenom.nom@… sinon.")
@click.option("--nom", help="Nom du responsable ; déduit d'une adresse prenom.nom@… sinon.")
@click.option("--verifier", is_flag=True, help="Vérifie seulement la saisie, sans site et sans rien écrire.")
@pass_context
def nouvelle_structure_ccas(context, structure, responsable, prefixe, type_structure, prenom, nom, verifier):
	"""Met en place, sur le site d'un CCAS, les réglages français, une structure et son premier
	responsable (./suivi new-ccas crée le site puis appelle cette commande). Relancée, elle ne
	refait rien."""
	import frappe

	from suivi_social.imports.erreurs import message_de
	from suivi_social.setup import ccas

	frappe.init(site="" if verifier else get_site(context))
	frappe.local.lang = "fr"
	try:
		if verifier:
			ccas.verifier_saisie(structure, responsable, prefixe, type_structure, prenom, nom)
			return
		frappe.connect()
		resultat = ccas.provisionner(structure, responsable, prefixe, type_structure, prenom, nom)
		frappe.db.commit()
	except (frappe.ValidationError, frappe.PermissionError) as erreur:
		click.secho(message_de(erreur), fg="red", err=True)
		sys.exit(1)
	finally:
		frappe.destroy()
	afficher_provisionnement(resultat)


def afficher_provisionnement(r) -> None:
	if r.structure_creee:
		click.echo(
			f"Structure « {r.structure} » créée (type {r.type_structure}, dossiers {r.prefixe}-00001…)."
		)
	else:
		click.echo(
			f"La structure « {r.structure} » existe déjà sur ce site et {r.responsable} en est déjà "
			"responsable : rien n'a changé."
		)
	if r.responsable_invite:
		click.echo(f"{r.responsable} est responsable de la structure, et de celle-ci seulement.")
	if r.lien_mot_de_passe:
		validite = f"valable {r.validite_du_lien} minutes, " if r.validite_du_lien else ""
		click.echo(
			"Ce site n'a pas de compte d'envoi d'e-mails : transmettez au responsable ce lien "
			f"({validite}à usage unique ; relancez la commande pour en avoir un nouveau tant qu'il ne "
			"s'est pas connecté), où il choisit son mot de passe :"
		)
		click.secho(f"  {r.lien_mot_de_passe}", bold=True)
	elif r.responsable_invite:
		if r.compte_cree:
			click.echo("Un e-mail d'invitation lui est envoyé (file d'envoi du site).")
		else:
			click.echo("Il avait déjà un compte sur ce site : il se connecte avec son mot de passe habituel.")
	click.echo(f"Adresse du site : {r.url}")


@click.command("serve-sites")
@click.option("--port", default=8000, type=int, help="Port du serveur web.")
@click.option("--noreload", "no_reload", is_flag=True, help="Ne pas redémarrer quand le code change.")
def serve_sites(port, no_reload):
	"""Serveur de développement : chaque site de sites/ sous son nom (http://SITE:8000), le site par
	défaut pour localhost (voir suivi_social/setup/serveur.py). C'est le « web » de ./suivi run."""
	from suivi_social.setup import serveur

	serveur.serve(port, no_reload)


@click.command("sauvegarder")
@click.option(
	"--backup-path", "dossier", help="Dossier des sauvegardes (par défaut : private/backups de chaque site)."
)
@pass_context
def sauvegarder(context, dossier):
	"""Sauvegarde chiffrée de chaque site (--site all : tous), base et fichiers : la sauvegarde de
	Frappe (bench backup --with-files --compress, chiffrée par gpg), puis une vérification que chaque
	fichier est bien chiffré. Code de sortie 1 si un site n'a pas pu être sauvegardé."""
	import frappe

	from suivi_social.setup.sauvegardes import SauvegardeImpossible
	from suivi_social.setup.sauvegardes import sauvegarder as sauvegarder_le_site

	dossier = dossier and chemin_de_l_appelant(dossier)
	echecs = []
	for site in context.sites:
		frappe.init(site=site)
		try:
			frappe.connect()
			fichiers = sauvegarder_le_site(dossier)
			click.echo(f"Site {site} sauvegardé (chiffré) :")
			for fichier in fichiers.values():
				click.echo(f"  {fichier}")
		except SauvegardeImpossible as erreur:
			click.secho(str(erreur), fg="red", err=True)
			echecs.append(site)
		except Exception as erreur:
			click.secho(f"La sauvegarde du site {site} a échoué : {erreur!r}", fg="red", err=True)
			echecs.append(site)
		finally:
			frappe.destroy()
	if echecs:
		click.secho(f"Sites non sauvegardés : {', '.join(echecs)}", fg="red", err=True)
		sys.exit(1)


commands = [import_legacy, nouvelle_structure_ccas, serve_sites, sauvegarder]
