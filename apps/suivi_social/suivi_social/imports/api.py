"""Whitelisted methods the desk's import screens call (upload → mapping → dry run → run →
summary; imports/doctype/import_classeur/import_classeur.js). Each checks that the user may write
(or read) the Import Classeur (role and structure) and may import into its structure."""

import json
from collections import Counter

import frappe
from frappe import _

from suivi_social.imports import execution
from suivi_social.imports.correspondance import CIBLES
from suivi_social.imports.erreurs import verifier_peut_importer


def _import(name: str):
	doc = frappe.get_doc("Import Classeur", name)
	doc.check_permission("write")
	verifier_peut_importer(doc.structure)
	return doc


def _import_lu(name: str):
	doc = frappe.get_doc("Import Classeur", name)
	doc.check_permission("read")
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
	"""The dry run: its summary (the rows are read with `lignes`)."""
	doc = _import(name)
	return synthese(execution.analyser(doc))


@frappe.whitelist()
def rapport(name: str, essai: int = 1) -> dict:
	"""The summary of the stored report of the dry run (essai=1) or of the import (essai=0); empty
	when there is none."""
	contenu = _rapport_stocke(_import_lu(name), int(essai))
	return synthese(contenu) if contenu else {}


@frappe.whitelist(methods=["POST"])
def lancer(name: str) -> str:
	"""Queue the run; its progress comes through the field `progression` and the realtime event
	`import_classeur_progression` (room of the document)."""
	return execution.lancer(_import(name))


@frappe.whitelist()
def lignes(
	name: str,
	essai: int = 1,
	issue: str | None = None,
	debut: int = 0,
	nombre: int = 100,
	feuille: str | None = None,
) -> dict:
	"""Rows of the dry-run (or final) report, filtered by outcome (and sheet), a page at a time."""
	rapport = _rapport_stocke(_import_lu(name), int(essai))
	if not rapport:
		return {"total": 0, "lignes": []}
	choisies = [
		l
		for l in rapport["lignes"]
		if (not issue or l["outcome"] == issue) and (not feuille or l["sheet"] == feuille)
	]
	debut, nombre = max(0, int(debut)), min(500, max(1, int(nombre)))
	return {"total": len(choisies), "lignes": choisies[debut : debut + nombre]}


@frappe.whitelist(methods=["POST"])
def referents(name: str, correspondances: str | dict) -> int:
	"""Record which agent each référent's code of the workbook stands for, in the structure's table
	(« Correspondance référent », filled once for all its imports). Returns how many were added."""
	doc = _import(name)
	if isinstance(correspondances, str):
		correspondances = json.loads(correspondances)
	if not isinstance(correspondances, dict):
		frappe.throw(_("Les correspondances doivent associer chaque code de référent à un agent."))
	ajoutees = 0
	for code, utilisateur in correspondances.items():
		if not utilisateur:
			continue
		frappe.get_doc(
			{
				"doctype": "Correspondance Referent",
				"structure": doc.structure,
				"code": code,
				"utilisateur": utilisateur,
			}
		).insert()
		ajoutees += 1
	return ajoutees


def _rapport_stocke(doc, essai: int, nouvel_essai: bool = True) -> dict | None:
	url = doc.rapport_analyse if essai else doc.rapport
	if not url:
		return None
	fichier = frappe.get_doc(
		"File", {"file_url": url, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name}
	)
	try:
		return json.loads(fichier.get_content())
	except FileNotFoundError:
		# A dry run done again at the same moment replaced this report (execution._joindre removes
		# the previous file from disk at once): read the import again, in a fresh snapshot. Only
		# read-only methods call this, so nothing is lost by the rollback.
		if not nouvel_essai:
			return None  # still being replaced: the desk asks again once the dry run is saved
		frappe.db.rollback()
		return _rapport_stocke(frappe.get_doc(doc.doctype, doc.name), essai, nouvel_essai=False)


def synthese(rapport: dict) -> dict:
	"""A report without its rows, for the desk: the counts (overall and per sheet), each sheet's
	problem and warnings, the référents' codes without an agent, the possible duplicates to review
	and the decisions taken, with the names read on their rows."""
	lignes = rapport.get("lignes") or []
	par_feuille: dict[str, Counter] = {}
	par_position = {}
	for ligne in lignes:
		par_feuille.setdefault(ligne["sheet"], Counter())[ligne["outcome"]] += 1
		par_position[(ligne["sheet"], ligne["row"])] = ligne
	feuilles = []
	for feuille in rapport.get("feuilles") or []:
		resume = {k: v for k, v in feuille.items() if k != "colonnes"}
		resume["issues"] = dict(par_feuille.get(feuille["nom"], {}))
		feuilles.append(resume)

	def nommer(cas: dict) -> dict:
		cas = dict(cas)
		cas["lignes"] = [
			{
				"feuille": nom_feuille,
				"ligne": numero,
				"ligne_feuille": par_position.get((nom_feuille, numero), {}).get("ligne_feuille"),
				"nom": par_position.get((nom_feuille, numero), {}).get("nom"),
			}
			for nom_feuille, numero in cas.get("lignes") or []
		]
		return cas

	a_verifier = [nommer(cas) for cas in rapport.get("a_verifier") or []]
	decisions = [nommer(cas) for cas in rapport.get("decisions") or []]
	if dossiers := {c["dossier"] for c in a_verifier + decisions if c.get("dossier")}:
		noms = dict(
			frappe.get_list(
				"Beneficiaire",
				filters={"name": ("in", list(dossiers))},
				fields=["name", "nom_complet"],
				as_list=True,
			)
		)
		for cas in a_verifier + decisions:
			if cas.get("dossier"):
				cas["nom_dossier"] = noms.get(cas["dossier"])
	return {
		"essai": rapport.get("essai", True),
		"date": rapport.get("date"),
		"resume": rapport.get("resume") or {},
		"feuilles": feuilles,
		"a_verifier": a_verifier,
		"decisions": decisions,
		"referents_inconnus": sorted({c for f in feuilles for c in f.get("referents_inconnus") or []}),
	}
