"""`bench --site SITE import-legacy FILE --structure NAME [--dry-run] [--json REPORT.json]
[--decisions DECISIONS.json]`.

The same import as the desk, without it: saved templates and the automatic mapping, the dry run
writes nothing; a real run creates an Import Classeur (visible in the desk, with its reports and
its decisions) and runs it in this process, committing batch by batch. The decisions on possible
duplicates are the report's « a_verifier » cases, each with "decision": "meme" or "distinctes"
(analyse.lire_decisions).
"""

from __future__ import annotations

import json
from pathlib import Path

import frappe

from suivi_social.imports import execution, service
from suivi_social.imports.ecriture import Transaction
from suivi_social.imports.erreurs import verifier_peut_importer
from suivi_social.utils.identite import cle_recherche


def importer(
	chemin: str,
	structure: str,
	essai: bool = False,
	json_rapport: str | None = None,
	agent: str | None = None,
	referents: tuple[str, ...] = (),
	user: str = "Administrator",
	afficher=print,
	transaction: Transaction | None = None,
	decisions: list[dict] | str | None = None,
) -> dict:
	"""Run the import (or its dry run) of a file; returns the report, written to `json_rapport`.
	`decisions`: the reviewer's decisions on possible duplicates, or the path of a JSON file
	holding them."""
	frappe.set_user(user)
	if not frappe.db.exists("Structure", structure):
		frappe.throw(f"La structure « {structure} » n'existe pas.", service.ImportImpossible)
	verifier_peut_importer(structure)
	fichier = Path(chemin)
	contenu = fichier.read_bytes()
	# An unreadable file is refused before anything is written.
	service.verifier_importable(service.tableaux(service.lire(contenu, fichier.name)), fichier.name)
	decisions = lire_decisions(decisions)
	correspondances = _correspondances(structure, referents, enregistrer=not essai)
	if essai:
		plan, _liste, _configs = service.analyser(
			contenu, fichier.name, structure, referents=correspondances, decisions=decisions
		)
		rapport = plan.rapport()
		rapport["essai"] = True
		rapport["date"] = frappe.utils.now()
	else:
		transaction = transaction or Transaction()
		transaction.debut()
		doc = _creer_import(structure, fichier.name, contenu, agent, decisions)
		transaction.fin()
		rapport = execution.executer(doc.name, transaction=transaction)
		if rapport is None:
			doc.reload()
			frappe.throw(doc.message_progression or "L'import a échoué.", service.ImportImpossible)
		rapport["import_classeur"] = doc.name
	if json_rapport:
		Path(json_rapport).write_text(service.json_du_rapport(rapport), encoding="utf-8")
	afficher(_resume(rapport))
	return rapport


def _correspondances(structure: str, referents: tuple[str, ...], enregistrer: bool) -> dict[str, str]:
	"""--referent CODE=email: for this run, and saved in the structure's table for a real run."""
	resultat = {}
	for texte in referents:
		code, _sep, email = texte.partition("=")
		if not code.strip() or not email.strip():
			frappe.throw(f"--referent attend CODE=adresse, pas « {texte} ».", service.ImportImpossible)
		resultat[cle_recherche(code)] = email.strip()
		if enregistrer and not frappe.db.exists(
			"Correspondance Referent", {"structure": structure, "cle": cle_recherche(code)}
		):
			frappe.get_doc(
				{
					"doctype": "Correspondance Referent",
					"structure": structure,
					"code": code,
					"utilisateur": email.strip(),
				}
			).insert()
	return resultat


def lire_decisions(decisions: list[dict] | str | None) -> list[dict]:
	"""The decisions given to the command (a list, or the path of a JSON file), checked."""
	from suivi_social.imports import analyse

	source = ""
	if isinstance(decisions, str | Path):
		source = f" « {decisions} »"
		try:
			decisions = json.loads(Path(decisions).read_text(encoding="utf-8-sig"))
		except OSError:
			frappe.throw(f"Le fichier de décisions{source} est illisible.", service.ImportImpossible)
		except ValueError:
			frappe.throw(f"Le fichier de décisions{source} n'est pas du JSON.", service.ImportImpossible)
	try:
		return analyse.lire_decisions(decisions)
	except ValueError as erreur:
		frappe.throw(f"Décisions sur les doublons{source} : {erreur}.", service.ImportImpossible)


def _creer_import(
	structure: str, nom: str, contenu: bytes, agent: str | None, decisions: list[dict] | None = None
):
	doc = execution.nouvel_import(structure, nom, contenu, agent)
	execution.preparer(doc)
	if decisions:
		doc.decisions = json.dumps(decisions, ensure_ascii=False, indent=1)
	doc.save()
	return doc


def _resume(rapport: dict) -> str:
	r = rapport["resume"]
	lignes = [
		(
			"Essai (rien n'est écrit)"
			if rapport.get("essai")
			else f"Import {rapport.get('import_classeur', '')}"
		)
		+ f" de « {rapport['fichier']} » dans « {rapport['structure']} »",
		f"  {r['lignes']} lignes : {r['importees']} importées, {r['fusionnees']} fusionnées avec un dossier existant, "
		f"{r['a_verifier']} à vérifier, {r['rejetees']} rejetées, {r['deja_importees']} déjà importées",
		f"  {r['personnes_creees']} dossiers créés, {r['personnes_existantes']} dossiers existants complétés, "
		f"{r['accompagnements']} accompagnements",
	]
	for typologie, n in r["accompagnements_par_typologie"].items():
		lignes.append(f"    {typologie} : {n}")
	decisions = rapport.get("decisions") or []
	if decisions or rapport.get("a_verifier"):
		appliquees = sum(1 for d in decisions if d.get("appliquee"))
		lignes.append(
			f"  {len(rapport.get('a_verifier') or [])} doublons possibles à vérifier, "
			f"{appliquees} décisions appliquées sur {len(decisions)}"
		)
		for d in decisions:
			if not d.get("appliquee"):
				lignes.append(f"  ! Décision non appliquée ({d.get('pourquoi')}) : {json.dumps(d['lignes'])}")
	for feuille in rapport["feuilles"]:
		for texte in [feuille.get("probleme"), *feuille.get("avertissements", [])]:
			if texte:
				lignes.append(f"  ! {texte}")
	return "\n".join(lignes)
