"""Whitelisted methods the desk's import screens call (upload → mapping → dry run → run →
summary). Each checks that the user may write the Import Classeur (role and structure) and may
import into its structure."""

import json

import frappe

from suivi_social.imports import execution
from suivi_social.imports.correspondance import CIBLES
from suivi_social.imports.erreurs import verifier_peut_importer


def _import(name: str):
	doc = frappe.get_doc("Import Classeur", name)
	doc.check_permission("write")
	verifier_peut_importer(doc.structure)
	return doc


@frappe.whitelist()
def cibles() -> list[dict]:
	"""The fields a column can fill, for the mapping screen."""
	return [{"cible": cle, "libelle": libelle, "quoi": quoi} for cle, (libelle, quoi) in CIBLES.items()]


@frappe.whitelist(methods=["POST"])
def preparer(name: str) -> dict:
	"""Read the workbook and propose each sheet's mapping and typology."""
	doc = _import(name)
	execution.preparer(doc)
	doc.save()
	return doc.as_dict()


@frappe.whitelist(methods=["POST"])
def essai(name: str) -> dict:
	"""The dry run: the summary (the rows are read with `lignes`)."""
	doc = _import(name)
	rapport = execution.analyser(doc)
	return {"resume": rapport["resume"], "feuilles": rapport["feuilles"]}


@frappe.whitelist(methods=["POST"])
def lancer(name: str) -> str:
	"""Queue the run; its progress comes through the field `progression` and the realtime event
	`import_classeur_progression` (room of the document)."""
	return execution.lancer(_import(name))


@frappe.whitelist()
def lignes(name: str, essai: int = 1, issue: str | None = None, debut: int = 0, nombre: int = 100) -> dict:
	"""Rows of the dry-run (or final) report, filtered by outcome, a page at a time."""
	doc = frappe.get_doc("Import Classeur", name)
	doc.check_permission("read")
	verifier_peut_importer(doc.structure)
	url = doc.rapport_analyse if int(essai) else doc.rapport
	if not url:
		return {"total": 0, "lignes": []}
	fichier = frappe.get_doc(
		"File", {"file_url": url, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name}
	)
	rapport = json.loads(fichier.get_content())
	choisies = [l for l in rapport["lignes"] if not issue or l["outcome"] == issue]
	debut, nombre = max(0, int(debut)), min(500, max(1, int(nombre)))
	return {"total": len(choisies), "lignes": choisies[debut : debut + nombre]}
