"""The life of an Import Classeur: prepare the sheets, dry run, run in a background job.

The desk drives it through imports/api.py; the bench command and the tests call the same
functions. Each step checks that the user may import into the structure.

    preparer(doc)        reads the workbook, fills one row per sheet with its mapping (saved
                         template or proposal), typology and mode; keeps what the user changed
    analyser(doc)        the dry run: the report (JSON, private file), the counts, statut Analysé
    lancer(doc)          queues executer_en_tache on the "long" queue (statut En attente)
    executer(name)       the run: batches, progress (field + realtime), report, rejected rows,
                         templates; statut Terminé or Échec. Started again after a crash, it
                         skips the rows already written.
"""

from __future__ import annotations

import datetime
import json
import traceback

import frappe
from frappe import _

from suivi_social.imports import correspondance, service
from suivi_social.imports.analyse import ConfigFeuille
from suivi_social.imports.ecriture import Transaction
from suivi_social.imports.entetes import cle_entetes
from suivi_social.imports.erreurs import ImportImpossible, verifier_peut_importer

EVENEMENT = "import_classeur_progression"


def contenu_du_fichier(doc) -> bytes:
	fichier = doc.fichier_joint()
	if not fichier:
		frappe.throw(_("Joignez d'abord le classeur à importer."), ImportImpossible)
	return frappe.get_doc("File", fichier.name).get_content()


def nouvel_import(structure: str, nom: str, contenu: bytes, agent: str | None = None):
	"""An Import Classeur for a workbook given as bytes (command line, demo): the file private."""
	fichier = frappe.get_doc(
		{"doctype": "File", "file_name": nom, "is_private": 1, "content": contenu}
	).insert(ignore_permissions=True)
	return frappe.get_doc(
		{
			"doctype": "Import Classeur",
			"structure": structure,
			"fichier": fichier.file_url,
			"agent_par_defaut": agent,
		}
	).insert()


def preparer(doc) -> None:
	"""One row per sheet with the automatic mapping; rows already there (same sheet, same
	headers) keep the user's choices."""
	verifier_peut_importer(doc.structure)
	contenu = contenu_du_fichier(doc)
	liste = service.tableaux(service.lire(contenu, doc.nom_fichier or doc.fichier))
	configs = service.configs_automatiques(doc.structure, liste)
	anciennes = {(r.nom_feuille, r.cle_entetes): r for r in doc.feuilles}
	doc.set("feuilles", [])
	for (tableau, probleme), config in zip(liste, configs, strict=True):
		cle = cle_entetes(tableau.entetes)
		ancienne = anciennes.get((tableau.feuille, cle))
		if ancienne:
			ancienne.lignes, ancienne.probleme, ancienne.ligne_entete = (
				len(tableau.lignes),
				probleme,
				tableau.ligne_entete,
			)
			ancienne.correspondance = _avec_exemples(ancienne.correspondance, tableau)
			doc.append("feuilles", ancienne.as_dict())
			continue
		doc.append(
			"feuilles",
			{
				"nom_feuille": tableau.feuille,
				"importer": int(config.importer),
				"lignes": len(tableau.lignes),
				"ligne_entete": tableau.ligne_entete,
				"cle_entetes": cle,
				"typologie": config.typologie,
				"nouvelle_typologie": config.nouvelle_typologie,
				"mode": config.mode,
				"modele": config.modele,
				"probleme": probleme,
				"correspondance": json.dumps(
					[{**c.en_dict(), "exemples": _exemples(tableau, c.index)} for c in config.colonnes],
					ensure_ascii=False,
					indent=1,
				),
			},
		)
	doc.empreinte_fichier = service.empreinte_fichier(contenu)


# Values shown under each column on the mapping screen.
EXEMPLES = 3
LONGUEUR_EXEMPLE = 60


def _exemples(tableau, index: int) -> list[str]:
	"""The first distinct values of a column, as text, for the person who checks the mapping."""
	vus: list[str] = []
	for ligne in tableau.lignes:
		texte = _texte_exemple(ligne.valeurs[index] if index < len(ligne.valeurs) else None)
		if texte and texte not in vus:
			vus.append(texte)
			if len(vus) == EXEMPLES:
				break
	return vus


def _texte_exemple(valeur) -> str:
	if valeur is None:
		return ""
	if isinstance(valeur, datetime.date):
		return valeur.strftime("%d/%m/%Y")
	if isinstance(valeur, float) and valeur.is_integer():
		valeur = int(valeur)
	texte = " ".join(str(valeur).split())
	return texte if len(texte) <= LONGUEUR_EXEMPLE else texte[: LONGUEUR_EXEMPLE - 1] + "…"


def _avec_exemples(texte: str | None, tableau) -> str | None:
	"""A stored mapping (the user's choices kept) with the samples of the workbook read now."""
	try:
		colonnes = json.loads(texte) if texte else None
	except ValueError:
		return texte
	if not isinstance(colonnes, list):
		return texte
	for colonne in colonnes:
		if isinstance(colonne, dict) and isinstance(colonne.get("index"), int):
			colonne["exemples"] = _exemples(tableau, colonne["index"])
	return json.dumps(colonnes, ensure_ascii=False, indent=1)


def configs_du_document(doc, liste) -> list[ConfigFeuille]:
	"""The mapping and typology of each sheet as the user left them on the document."""
	par_feuille = {r.nom_feuille: r for r in doc.feuilles}
	configs = []
	for tableau, probleme in liste:
		row = par_feuille.get(tableau.feuille)
		if not row:
			continue
		colonnes = _colonnes(tableau, row.correspondance)
		config = ConfigFeuille(
			nom=tableau.feuille,
			colonnes=colonnes,
			importer=bool(row.importer) and not probleme,
			typologie=row.typologie,
			nouvelle_typologie=None if row.typologie else (row.nouvelle_typologie or tableau.feuille),
			mode=row.mode or service.MODE_PAR_DEFAUT,
			modele=row.modele,
		)
		config.libelle_typologie = service.libelle_typologie(config)
		configs.append(config)
	return configs


def decisions_du_document(doc) -> list[dict]:
	valeur = json.loads(doc.decisions) if doc.get("decisions") else []
	return valeur if isinstance(valeur, list) else []


def _colonnes(tableau, texte: str | None):
	"""The stored mapping: a list of columns (as proposed) or a {header key: target} dict."""
	valeur = json.loads(texte) if texte else None
	if isinstance(valeur, list):
		valeur = {c["cle"]: c["cible"] for c in valeur if isinstance(c, dict) and "cle" in c}
	return correspondance.proposer(tableau, valeur if isinstance(valeur, dict) else None)


def analyser(doc) -> dict:
	"""The dry run of the document: nothing written but the report and the counts."""
	verifier_peut_importer(doc.structure)
	contenu = contenu_du_fichier(doc)
	if not doc.feuilles or doc.empreinte_fichier != service.empreinte_fichier(contenu):
		preparer(doc)
	liste = service.tableaux(service.lire(contenu, doc.nom_fichier))
	plan, liste, _configs = service.analyser(
		contenu,
		doc.nom_fichier,
		doc.structure,
		configs_du_document(doc, liste),
		liste=liste,
		decisions=decisions_du_document(doc),
	)
	rapport = plan.rapport()
	rapport["essai"] = True
	rapport["date"] = frappe.utils.now()
	_resultats(doc, rapport["resume"])
	doc.rapport_analyse = _joindre(
		doc, "rapport_analyse", f"essai-{doc.name}.json", service.json_du_rapport(rapport).encode()
	)
	doc.statut = "Analysé"
	doc.date_analyse = frappe.utils.now()
	doc.save()
	return rapport


def lancer(doc) -> str:
	"""Queue the run (one job per import; a second click does nothing)."""
	verifier_peut_importer(doc.structure)
	if doc.statut in ("En attente", "En cours"):
		return doc.job_id
	if not doc.feuilles:
		preparer(doc)
	doc.statut = "En attente"
	doc.lance_par = frappe.session.user
	doc.job_id = f"import_classeur::{doc.name}"
	doc.progression = 0
	doc.message_progression = _("En attente d'un processus de fond")
	doc.save()
	frappe.enqueue(
		"suivi_social.imports.execution.executer_en_tache",
		queue="long",
		timeout=4 * 3600,
		job_id=doc.job_id,
		deduplicate=True,
		enqueue_after_commit=True,
		name=doc.name,
		user=frappe.session.user,
	)
	return doc.job_id


def executer_en_tache(name: str, user: str) -> None:
	from frappe.translate import get_user_lang

	frappe.set_user(user)
	# A job starts in English: what Frappe writes on the way (the attachments' timeline entries,
	# its own messages) is in the language of who launched the import, as in the desk.
	frappe.local.lang = get_user_lang(user)
	executer(name)


def executer(name: str, transaction: Transaction | None = None) -> dict | None:
	"""The run. Every failure ends as statut Échec with its French message in the journal; the
	batches already committed stay, and running again finishes the rest."""
	doc = frappe.get_doc("Import Classeur", name)
	transaction = transaction or Transaction()
	try:
		verifier_peut_importer(doc.structure)
		contenu = contenu_du_fichier(doc)
		_etat(
			doc,
			transaction,
			statut="En cours",
			date_debut=frappe.utils.now(),
			progression=0,
			message_progression=_("Lecture du classeur"),
		)
		liste = service.tableaux(service.lire(contenu, doc.nom_fichier))
		configs = configs_du_document(doc, liste)

		def progression(fait: int, total: int) -> None:
			pourcentage = round(100 * fait / total, 1) if total else 100
			message = _("{0} lignes sur {1}").format(fait, total)
			frappe.db.set_value(
				"Import Classeur",
				name,
				{"progression": pourcentage, "message_progression": message},
				update_modified=False,
			)
			frappe.publish_realtime(
				EVENEMENT,
				{
					"import_classeur": name,
					"progression": pourcentage,
					"fait": fait,
					"total": total,
					"message": message,
				},
				doctype="Import Classeur",
				docname=name,
				after_commit=True,
			)

		rapport, plan, liste = service.executer(
			contenu,
			doc.nom_fichier,
			doc.structure,
			configs,
			agent=doc.agent_par_defaut,
			import_classeur=name,
			transaction=transaction,
			progression=progression,
			liste=liste,
			decisions=decisions_du_document(doc),
		)
	except Exception as erreur:
		transaction.annuler()
		message = _message(erreur)
		_etat(
			frappe.get_doc("Import Classeur", name),
			transaction,
			statut="Échec",
			message_progression=message[:140],
			journal=_journal(doc, message, traceback.format_exc()),
		)
		frappe.publish_realtime(
			EVENEMENT,
			{"import_classeur": name, "statut": "Échec", "message": message},
			doctype="Import Classeur",
			docname=name,
		)
		if frappe.flags.in_test or not isinstance(erreur, frappe.ValidationError):
			raise
		return None
	doc = frappe.get_doc("Import Classeur", name)
	transaction.debut()
	_resultats(doc, rapport["resume"])
	doc.rapport = _joindre(doc, "rapport", f"import-{name}.json", service.json_du_rapport(rapport).encode())
	if rejets := service.classeur_des_rejets(plan, liste):
		doc.fichier_rejets = _joindre(doc, "fichier_rejets", f"lignes-rejetees-{name}.xlsx", rejets)
	for row in doc.feuilles:
		config = next((c for c in plan.configs if c.nom == row.nom_feuille), None)
		if config:
			row.modele = config.modele
			if config.typologie:
				row.typologie, row.nouvelle_typologie = config.typologie, None
	doc.statut = "Terminé"
	doc.progression = 100
	doc.date_fin = frappe.utils.now()
	doc.message_progression = _("Terminé")
	doc.journal = _journal(doc, _resume_texte(rapport["resume"]))
	doc.save(ignore_permissions=True)
	transaction.fin()
	frappe.publish_realtime(
		EVENEMENT,
		{"import_classeur": name, "statut": "Terminé", "progression": 100},
		doctype="Import Classeur",
		docname=name,
	)
	return rapport


def _etat(doc, transaction: Transaction, **valeurs) -> None:
	transaction.debut()
	frappe.db.set_value("Import Classeur", doc.name, valeurs)
	transaction.fin()


def _resultats(doc, resume: dict) -> None:
	doc.lignes_total = resume["lignes"]
	doc.lignes_importees = resume["importees"]
	doc.lignes_fusionnees = resume["fusionnees"]
	doc.lignes_a_verifier = resume["a_verifier"]
	doc.lignes_rejetees = resume["rejetees"]
	doc.lignes_deja_importees = resume["deja_importees"]
	doc.personnes_creees = resume["personnes_creees"]
	doc.personnes_existantes = resume["personnes_existantes"]
	doc.accompagnements_crees = resume["accompagnements"]
	doc.resume_typologies = "\n".join(
		f"{t} : {n}" for t, n in resume["accompagnements_par_typologie"].items()
	)


def _joindre(doc, champ: str, nom: str, contenu: bytes) -> str:
	"""A private file attached to the import: readable only by who may read the import. It takes
	the place of the field's previous file (a dry run done again replaces its report: no stale
	copies of personal data pile up)."""
	ancien = doc.get(champ)
	fichier = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": nom,
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"attached_to_field": champ,
			"is_private": 1,
			"content": contenu,
		}
	).insert(ignore_permissions=True)
	if ancien and ancien != fichier.file_url:
		for precedent in frappe.get_all(
			"File",
			filters={
				"file_url": ancien,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
				"attached_to_field": champ,
			},
			pluck="name",
		):
			frappe.delete_doc("File", precedent, ignore_permissions=True, delete_permanently=True)
	return fichier.file_url


def _message(erreur: Exception) -> str:
	from suivi_social.imports.erreurs import message_de

	if isinstance(erreur, frappe.ValidationError):
		return message_de(erreur)
	return _(
		"Erreur inattendue ({0}) : les lots déjà écrits sont conservés, relancez l'import pour finir."
	).format(type(erreur).__name__)


def _journal(doc, message: str, details: str | None = None) -> str:
	lignes = [doc.journal or "", f"{frappe.utils.now()} — {message}"]
	if details and not frappe.flags.in_test:
		lignes.append(details)
	return "\n".join(l for l in lignes if l).strip()


def _resume_texte(resume: dict) -> str:
	return _(
		"{lignes} lignes : {importees} importées, {fusionnees} fusionnées avec un dossier existant, "
		"{a_verifier} à vérifier, {rejetees} rejetées, {deja_importees} déjà importées ; "
		"{personnes_creees} dossiers créés, {accompagnements} accompagnements."
	).format(**resume)
