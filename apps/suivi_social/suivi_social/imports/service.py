"""The import of a legacy workbook into a structure, from the file to the report.

Used by the Import Classeur DocType (the desk: prepare → dry run → run in a background job), by
the `import-legacy` bench command, and by the tests. Steps:

1. :func:`lire` reads every sheet; :func:`tableaux` finds each one's header and data rows;
2. :func:`configs_automatiques` maps each sheet: the structure's saved template for these headers
   (Modele Import), or a proposal from the header synonyms, and the typology its rows become;
3. :func:`analyser` is the dry run: rows read and normalised, people matched, a report per row;
4. :func:`executer` writes the plan in batches (imports/ecriture.py), then the report, the
   workbook of rejected rows and the templates of the sheets imported.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re

import frappe
from frappe import _

from suivi_social.imports import correspondance, doublons
from suivi_social.imports.analyse import REJETEE, ConfigFeuille, Contexte, Plan
from suivi_social.imports.analyse import analyser as analyser_plan
from suivi_social.imports.correspondance import Colonne, cible_de
from suivi_social.imports.ecriture import ISSUES_LUES, Ecrivain, Transaction
from suivi_social.imports.entetes import Tableau, cle_entetes, trouver_tableau
from suivi_social.imports.erreurs import ImportImpossible, verifier_peut_importer
from suivi_social.imports.lecture import ClasseurIllisible, Feuille, lire_classeur
from suivi_social.utils.identite import cle_recherche

MODE_PAR_DEFAUT = "Accueil physique spontané"


# --- Reading and mapping -------------------------------------------------------------------------


def lire(contenu: bytes, nom_fichier: str) -> list[Feuille]:
	"""Every sheet of the file. The last file read is kept, so that checking, preparing and
	running an import read the workbook once."""
	cle = (hashlib.sha256(contenu).hexdigest(), nom_fichier)
	if _dernier_classeur.get("cle") == cle:
		return _dernier_classeur["feuilles"]
	try:
		feuilles = lire_classeur(contenu, nom_fichier)
	except ClasseurIllisible as erreur:
		frappe.throw(str(erreur), ImportImpossible, title=_("Classeur illisible"))
	_dernier_classeur.clear()
	_dernier_classeur.update(cle=cle, feuilles=feuilles)
	return feuilles


_dernier_classeur: dict = {}


def tableaux(feuilles: list[Feuille]) -> list[tuple[Tableau, str | None]]:
	"""Each sheet's table, with the reason it cannot be imported (None when it can). Those of the
	last file read are kept with it (a run of the command asks three times: check, prepare, run)."""
	if feuilles is _dernier_classeur.get("feuilles") and "tableaux" in _dernier_classeur:
		return _dernier_classeur["tableaux"]
	resultat = _tableaux(feuilles)
	if feuilles is _dernier_classeur.get("feuilles"):
		_dernier_classeur["tableaux"] = resultat
	return resultat


def _tableaux(feuilles: list[Feuille]) -> list[tuple[Tableau, str | None]]:
	resultat = []
	for feuille in feuilles:
		tableau = trouver_tableau(feuille, lambda cle: cible_de(cle) is not None)
		probleme = feuille.probleme
		if not probleme and not tableau.entetes:
			probleme = (
				f"La feuille « {feuille.nom} » ne contient pas de tableau (aucune ligne d'en-tête trouvée)."
			)
		elif not probleme and not tableau.lignes:
			probleme = f"La feuille « {feuille.nom} » ne contient aucune ligne sous son en-tête."
		resultat.append((tableau, probleme))
	return resultat


def verifier_importable(liste: list[tuple[Tableau, str | None]], nom_fichier: str) -> None:
	"""At least one sheet can be imported; otherwise the reasons, sheet by sheet."""
	if any(not probleme for _t, probleme in liste):
		return
	frappe.throw(
		_("Aucune feuille du fichier « {0} » ne peut être importée : {1}").format(
			nom_fichier, " ".join(p for _t, p in liste if p)
		),
		ImportImpossible,
		title=_("Classeur inutilisable"),
	)


def modele_pour(structure: str, cle: str) -> dict | None:
	return frappe.db.get_value(
		"Modele Import",
		{"structure": structure, "cle_entetes": cle},
		["name", "correspondance", "typologie", "nouvelle_typologie", "mode"],
		as_dict=True,
	)


def configs_automatiques(structure: str, liste: list[tuple[Tableau, str | None]]) -> list[ConfigFeuille]:
	"""The template saved for each sheet's headers, or the proposal and a guessed typology."""
	configs = []
	for tableau, probleme in liste:
		cle = cle_entetes(tableau.entetes)
		modele = modele_pour(structure, cle) if tableau.entetes else None
		if modele:
			colonnes = correspondance.proposer(tableau, json.loads(modele.correspondance or "{}"))
			config = ConfigFeuille(
				nom=tableau.feuille,
				colonnes=colonnes,
				typologie=modele.typologie,
				nouvelle_typologie=None if modele.typologie else modele.nouvelle_typologie,
				mode=modele.mode or MODE_PAR_DEFAUT,
				modele=modele.name,
			)
		else:
			colonnes = correspondance.proposer(tableau)
			typologie, nouvelle = deviner_typologie(structure, tableau.feuille, colonnes)
			config = ConfigFeuille(
				nom=tableau.feuille,
				colonnes=colonnes,
				typologie=typologie,
				nouvelle_typologie=nouvelle,
				mode=deviner_mode(tableau.feuille, colonnes),
			)
		config.importer = not probleme
		config.libelle_typologie = libelle_typologie(config)
		configs.append(config)
	return configs


_MOTS_VIDES = {
	"de",
	"d",
	"du",
	"des",
	"la",
	"le",
	"les",
	"l",
	"a",
	"au",
	"aux",
	"et",
	"en",
	"pour",
	"sur",
	"un",
	"une",
}


def _mots(texte: str) -> set[str]:
	mots = set()
	for mot in cle_recherche(texte).split():
		if mot in _MOTS_VIDES:
			continue
		mots.add(mot[:-1] if len(mot) > 3 and mot[-1] in "sx" else mot)
	return mots


def _proche(nom_feuille: str, candidats: list[dict]) -> dict | None:
	"""The candidate whose name has the same words as the sheet's, or the single best one."""
	mots = _mots(nom_feuille)
	if not mots:
		return None
	notes = []
	for candidat in candidats:
		autres = _mots(candidat["nom"])
		if autres:
			notes.append((len(mots & autres) / len(mots | autres), candidat))
	exacts = [c for n, c in notes if n == 1]
	if exacts:
		return exacts[0]
	notes.sort(key=lambda x: -x[0])
	if notes and notes[0][0] >= 0.6 and (len(notes) == 1 or notes[1][0] < notes[0][0]):
		return notes[0][1]
	return None


def deviner_typologie(
	structure: str, nom_feuille: str, colonnes: list[Colonne] | None = None
) -> tuple[str | None, str | None]:
	"""(existing Type Accompagnement, or None; name of a new one, or None) for a sheet's name:
	a type of the structure, else an entry of the app's catalogue, else the sheet's name. A sheet
	with amounts goes to the structure's only financial-aid type that shares a word with it."""
	existants = frappe.get_all(
		"Type Accompagnement",
		filters={"structure": structure, "actif": 1},
		fields=["name", "nom", "aide_financiere"],
	)
	if trouve := _proche(nom_feuille, existants):
		return trouve["name"], None
	if colonnes and {"montant_demande", "montant_accorde"} & {c.cible for c in colonnes}:
		aides = [t for t in existants if t.aide_financiere and _mots(t.nom) & _mots(nom_feuille)]
		if len(aides) == 1:
			return aides[0]["name"], None
	catalogue = frappe.get_all("Modele Type Accompagnement", fields=["name", "nom"])
	if trouve := _proche(nom_feuille, catalogue):
		return None, trouve["nom"]
	return None, " ".join(nom_feuille.split())[:140]


def deviner_mode(nom_feuille: str, colonnes: list[Colonne]) -> str:
	texte = cle_recherche(
		nom_feuille + " " + " ".join(c.entete for c in colonnes if c.cible == "date_repetee")
	)
	if "visite" in texte:
		return "Visite à domicile"
	return MODE_PAR_DEFAUT


def libelle_typologie(config: ConfigFeuille) -> str | None:
	if config.typologie:
		return frappe.db.get_value("Type Accompagnement", config.typologie, "nom")
	return config.nouvelle_typologie


# --- Context -------------------------------------------------------------------------------------


def contexte(structure: str, nom_fichier: str) -> Contexte:
	referents = {
		r.cle or cle_recherche(r.code): r.utilisateur
		for r in frappe.get_all(
			"Correspondance Referent", filters={"structure": structure}, fields=["cle", "code", "utilisateur"]
		)
	}
	return Contexte(
		structure=structure,
		aujourd_hui=frappe.utils.getdate(),
		fichier=nom_fichier,
		referents=referents,
		dossiers_existants=lambda identites: doublons.chercher_dossiers(structure, identites),
		empreintes_connues=lambda empreintes: empreintes_connues(structure, empreintes),
	)


def empreintes_connues(structure: str, empreintes: list[str]) -> dict[str, dict]:
	"""The rows of this structure already written by an import (Ligne Importee, unique index)."""
	connues = {}
	for k in range(0, len(empreintes), 1000):
		for row in frappe.get_all(
			"Ligne Importee",
			filters={"structure": structure, "empreinte": ("in", empreintes[k : k + 1000])},
			fields=["empreinte", "beneficiaire", "issue", "import_classeur"],
		):
			connues[row.empreinte] = {
				"beneficiaire": row.beneficiaire,
				"issue": ISSUES_LUES.get(row.issue),
				"import_classeur": row.import_classeur,
			}
	return connues


# --- Dry run -------------------------------------------------------------------------------------


def analyser(
	contenu: bytes,
	nom_fichier: str,
	structure: str,
	configs: list[ConfigFeuille] | None = None,
	referents: dict[str, str] | None = None,
	liste: list[tuple[Tableau, str | None]] | None = None,
	decisions: list[dict] | None = None,
) -> tuple[Plan, list[tuple[Tableau, str | None]], list[ConfigFeuille]]:
	"""The dry run: nothing is written. With no `configs`, the automatic mapping of each sheet;
	`referents` adds correspondences (code key → user) to the structure's table for this run."""
	verifier_peut_importer(structure)
	if liste is None:
		liste = tableaux(lire(contenu, nom_fichier))
	if configs is None:
		configs = configs_automatiques(structure, liste)
	problemes = {t.feuille: p for t, p in liste if p}
	par_nom = {c.nom: c for c in configs}
	paires = [(t, par_nom[t.feuille]) for t, _p in liste if t.feuille in par_nom]
	ctx = contexte(structure, nom_fichier)
	ctx.referents.update(referents or {})
	ctx.decisions = decisions or []
	plan = analyser_plan(paires, ctx, problemes)
	return plan, liste, configs


# --- Run -----------------------------------------------------------------------------------------


def agent_par_defaut(structure: str, voulu: str | None = None) -> str:
	"""The agent of accompaniments whose référent is unknown: the one asked for, else the
	importing user, else the structure's first responsable — always an agent of the structure."""
	from suivi_social.permissions.structure import is_agent_of

	candidats = [voulu] if voulu else [frappe.session.user]
	if not voulu:
		candidats += frappe.get_all(
			"Responsable Structure",
			filters={"parent": structure, "parenttype": "Structure"},
			pluck="user",
			order_by="idx",
		)
		candidats += frappe.get_all(
			"User Permission",
			filters={"allow": "Structure", "for_value": structure},
			pluck="user",
			order_by="creation",
		)
	for user in candidats:
		if user and is_agent_of(user, structure) and frappe.db.get_value("User", user, "enabled"):
			return user
	if voulu:
		frappe.throw(
			_(
				"{0} n'est pas un agent de la structure « {1} » : choisissez un autre agent par défaut."
			).format(voulu, structure),
			ImportImpossible,
		)
	frappe.throw(
		_(
			"La structure « {0} » n'a aucun agent : invitez d'abord l'équipe, ou indiquez l'agent par défaut "
			"des accompagnements importés."
		).format(structure),
		ImportImpossible,
	)


def creer_typologies(structure: str, configs: list[ConfigFeuille], plan: Plan) -> dict[str, str]:
	"""sheet → Type Accompagnement, creating the new ones (from the catalogue when the name is one
	of its entries) for the sheets that have accompaniments to write."""
	typologies = {}
	utiles = {
		l.feuille for l in plan.lignes if l.accompagnements and l.issue != REJETEE and not l.deja_importee
	}
	for config in configs:
		if config.nom not in utiles:
			continue
		if config.typologie:
			typologies[config.nom] = config.typologie
			continue
		nom = " ".join((config.nouvelle_typologie or config.nom).split())[:140]
		existant = frappe.db.get_value("Type Accompagnement", {"structure": structure, "nom": nom})
		if not existant:
			modele = frappe.db.get_value(
				"Modele Type Accompagnement",
				nom,
				["name", "famille", "categorie", "aide_financiere", "description"],
				as_dict=True,
			)
			valeurs = modele or {"aide_financiere": int(_feuille_d_aides(config)), "categorie": "Facultatif"}
			doc = frappe.get_doc(
				{
					"doctype": "Type Accompagnement",
					"structure": structure,
					"nom": nom,
					"famille": valeurs.get("famille"),
					"categorie": valeurs.get("categorie") or "Facultatif",
					"aide_financiere": valeurs.get("aide_financiere") or 0,
					"description": valeurs.get("description") or _("Créé par l'import d'un ancien classeur."),
					"modele": modele.name if modele else None,
				}
			).insert(ignore_permissions=True)
			existant = doc.name
		typologies[config.nom] = existant
		config.typologie, config.libelle_typologie = existant, nom
	return typologies


def _feuille_d_aides(config: ConfigFeuille) -> bool:
	return bool({"montant_demande", "montant_accorde"} & {c.cible for c in config.colonnes})


def executer(
	contenu: bytes,
	nom_fichier: str,
	structure: str,
	configs: list[ConfigFeuille] | None = None,
	agent: str | None = None,
	import_classeur: str | None = None,
	transaction: Transaction | None = None,
	progression=None,
	liste: list[tuple[Tableau, str | None]] | None = None,
	decisions: list[dict] | None = None,
) -> tuple[dict, Plan, list[tuple[Tableau, str | None]]]:
	"""Analyse and write; returns the final report (rows numbered as in the dry run), the plan
	and the sheets."""
	plan, liste, configs = analyser(
		contenu, nom_fichier, structure, configs, liste=liste, decisions=decisions
	)
	agent = agent_par_defaut(structure, agent)
	transaction = transaction or Transaction()
	transaction.debut()
	typologies = creer_typologies(structure, configs, plan)
	enregistrer_modeles(structure, liste, configs)
	transaction.fin()
	ecrivain = Ecrivain(
		plan,
		structure,
		typologies,
		agent,
		import_classeur=import_classeur,
		transaction=transaction,
		progression=progression,
	)
	ecrivain.ecrire()
	rapport = plan.rapport()
	resume = rapport["resume"]
	resume["accompagnements"] = sum(ecrivain.accompagnements_par_type.values())
	noms = {v: frappe.db.get_value("Type Accompagnement", v, "nom") for v in typologies.values()}
	resume["accompagnements_par_typologie"] = {
		noms.get(t, t): n for t, n in ecrivain.accompagnements_par_type.items()
	}
	resume["personnes_creees"] = ecrivain.crees["Beneficiaire"]
	resume["personnes_existantes"] = len(
		{l.beneficiaire for l in plan.lignes if l.issue == "merged" and not l.deja_importee}
	)
	rapport["date"] = frappe.utils.now()
	rapport["essai"] = False
	return rapport, plan, liste


def enregistrer_modeles(
	structure: str, liste: list[tuple[Tableau, str | None]], configs: list[ConfigFeuille]
) -> None:
	"""The mapping of each sheet imported becomes the structure's template for its headers."""
	par_nom = {c.nom: c for c in configs}
	for tableau, probleme in liste:
		config = par_nom.get(tableau.feuille)
		if probleme or not config or not config.importer or not tableau.entetes:
			continue
		cle = cle_entetes(tableau.entetes)
		valeurs = {
			"correspondance": json.dumps(
				correspondance.correspondance_en_dict(config.colonnes), ensure_ascii=False, indent=1
			),
			"typologie": config.typologie,
			"nouvelle_typologie": None if config.typologie else config.nouvelle_typologie,
			"mode": config.mode,
			"nom_feuille": tableau.feuille,
			"entetes": "\n".join(tableau.entetes),
		}
		if nom := frappe.db.get_value("Modele Import", {"structure": structure, "cle_entetes": cle}):
			doc = frappe.get_doc("Modele Import", nom)
			doc.update(valeurs)
			doc.save(ignore_permissions=True)
		else:
			doc = frappe.get_doc(
				{"doctype": "Modele Import", "structure": structure, "cle_entetes": cle, **valeurs}
			)
			doc.insert(ignore_permissions=True)
		config.modele = doc.name


# --- Outputs -------------------------------------------------------------------------------------


def classeur_des_rejets(plan: Plan, liste: list[tuple[Tableau, str | None]]) -> bytes | None:
	"""The rejected rows, sheet by sheet, with their original headers and values and the reason,
	to fix and import again. None when no row was rejected."""
	import openpyxl
	from openpyxl.styles import Font

	rejetees = [l for l in plan.lignes if l.issue == REJETEE]
	if not rejetees:
		return None
	entetes = {t.feuille: t.entetes for t, _p in liste}
	classeur = openpyxl.Workbook()
	classeur.remove(classeur.active)
	noms_utilises: set[str] = set()
	for feuille in dict.fromkeys(l.feuille for l in rejetees):
		nom = _nom_de_feuille(feuille, noms_utilises)
		ws = classeur.create_sheet(nom)
		ws.append([*entetes.get(feuille, []), "Motif du rejet", "Ligne d'origine"])
		for cellule in ws[1]:
			cellule.font = Font(bold=True)
		for ligne in rejetees:
			if ligne.feuille != feuille:
				continue
			valeurs = [_cellule(v) for v in ligne.valeurs]
			valeurs += [None] * (len(entetes.get(feuille, [])) - len(valeurs))
			ws.append([*valeurs, " ; ".join(r for r in ligne.raisons), ligne.ligne_feuille])
	sortie = io.BytesIO()
	classeur.save(sortie)
	return sortie.getvalue()


def _nom_de_feuille(nom: str, utilises: set[str]) -> str:
	nom = re.sub(r"[\[\]:*?/\\]", " ", nom)[:31].strip() or "Feuille"
	base, n = nom, 2
	while nom in utilises:
		nom = f"{base[:28]} {n}"
		n += 1
	utilises.add(nom)
	return nom


def _cellule(valeur):
	if isinstance(valeur, str) and len(valeur) > 32_000:
		return valeur[:32_000]
	return valeur


def empreinte_fichier(contenu: bytes) -> str:
	return hashlib.sha256(contenu).hexdigest()


def json_du_rapport(rapport: dict) -> str:
	return json.dumps(rapport, ensure_ascii=False, indent=1, default=_json_defaut)


def _json_defaut(valeur):
	if isinstance(valeur, datetime.date):
		return valeur.isoformat()
	return str(valeur)
