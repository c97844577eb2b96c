"""« Fusionner deux dossiers »: one person, two files (typed twice, or imported before the
import could tell) become one.

Everything that hangs on the absorbed file moves to the kept one — accompaniments (and their
private reports, which hang on them), rappels, documents and comments, the référents, the
entourage and resources rows, the import fingerprints — by Frappe's own merge
(frappe.rename_doc(merge=True), which rewrites every Link and dynamic link and then deletes the
absorbed file). Empty fields of the kept file are filled from the absorbed one; nothing the kept
file holds is overwritten. An audit comment on the kept file records who merged what.

Who (:func:`refus_de_fusion`, the one place of the rule — the form's action and the API ask it
too): two files of one structure, which the user may access; a Responsable de structure or a
Travailleur social of that structure (who follows its files), or the platform administrator (who
imports them); and the user may read and write both files. The Agent d'accueil never merges. The
absorbed file is deleted by the merge itself, not by the user's right to delete files (a
Travailleur social has none). The same matching as the import (imports/doublons.py) proposes the
candidates.
"""

import frappe
from frappe import _
from frappe.model.rename_doc import rename_doc

from suivi_social.exceptions import DonneeInvalide, FusionInterdite, HorsStructure
from suivi_social.roles import ADMINISTRATEUR, RESPONSABLE, TRAVAILLEUR_SOCIAL

# Roles that may merge two files (System Manager: technical maintenance). Not the Agent d'accueil.
ROLES_FUSION = (RESPONSABLE, TRAVAILLEUR_SOCIAL, ADMINISTRATEUR, "System Manager")

# Fields never copied from the absorbed file.
CHAMPS_EXCLUS = {
	"name",
	"structure",
	"nom_complet",
	"nom_recherche",
	"telephones_recherche",
	"dernier_contact",
	"prochain_rendez_vous",
	"demandes_en_cours",
	"doublon_confirme",
}
TABLES = ("referents", "entourage", "ressources")
CHAMPS_COPIABLES = (
	"Data",
	"Small Text",
	"Text",
	"Long Text",
	"Text Editor",
	"Select",
	"Date",
	"Datetime",
	"Int",
	"Float",
	"Currency",
	"Link",
	"Phone",
)


def candidats(beneficiaire: str) -> list[dict]:
	"""Files of the same structure that may be the same person, best first (certain, then
	probable), with the reason."""
	from suivi_social.imports.doublons import dossiers_correspondants, identite_du_dossier

	doc = frappe.get_doc("Beneficiaire", beneficiaire)
	identite = identite_du_dossier(doc.as_dict())
	return [
		{
			"name": dossier.name,
			"nom_complet": dossier.nom_complet,
			"niveau": verdict.niveau,
			"raison": verdict.raison,
		}
		for dossier, verdict in dossiers_correspondants(doc.structure, identite, exclure=doc.name)
	]


def refus_de_fusion(doc_garde, doc_absorbe=None, user: str | None = None) -> tuple[str, type] | None:
	"""Why `user` may not merge these two files (or, without `doc_absorbe`, merge this file with
	another): (French message, exception class), or None when they may. Structure first, then
	role, then the right to read and write each file."""
	from suivi_social.permissions.structure import may_access

	user = user or frappe.session.user
	docs = [d for d in (doc_garde, doc_absorbe) if d is not None]
	for doc in docs:
		if not may_access(doc.structure, user):
			return (
				_(
					"Le dossier {0} n'appartient pas à l'une de vos structures : vous ne pouvez pas le fusionner."
				).format(doc.name),
				FusionInterdite,
			)
	if len(docs) == 2 and doc_garde.structure != doc_absorbe.structure:
		return (
			_(
				"Les deux dossiers doivent appartenir à la même structure : {0} et {1} n'en ont pas la même."
			).format(doc_garde.name, doc_absorbe.name),
			HorsStructure,
		)
	if user != "Administrator" and not set(ROLES_FUSION) & set(frappe.get_roles(user)):
		return (
			_(
				"Seuls le responsable de la structure, ses travailleurs sociaux et l'administrateur de Suivi "
				"social peuvent fusionner deux dossiers."
			),
			FusionInterdite,
		)
	for doc in docs:
		for ptype in ("read", "write"):
			if not frappe.has_permission("Beneficiaire", ptype, doc, user=user):
				return (
					_(
						"Vous n'avez pas le droit de modifier le dossier {0} : vous ne pouvez pas le fusionner."
					).format(doc.name),
					FusionInterdite,
				)
	return None


def peut_fusionner(doc_garde, doc_absorbe=None, user: str | None = None) -> bool:
	return refus_de_fusion(doc_garde, doc_absorbe, user) is None


def verifier_peut_fusionner(doc_garde, doc_absorbe, user: str | None = None) -> None:
	if refus := refus_de_fusion(doc_garde, doc_absorbe, user):
		message, exc = refus
		frappe.throw(message, exc, title=_("Fusion impossible"))


def fusionner(garde: str, absorbe: str) -> str:
	"""Merge file `absorbe` into file `garde`; returns `garde`."""
	if not garde or not absorbe or garde == absorbe:
		frappe.throw(_("Choisissez deux dossiers différents."), DonneeInvalide)
	doc_garde = frappe.get_doc("Beneficiaire", garde)
	doc_absorbe = frappe.get_doc("Beneficiaire", absorbe)
	verifier_peut_fusionner(doc_garde, doc_absorbe)

	completes = completer(doc_garde, doc_absorbe)
	comptes = {
		"accompagnements": frappe.db.count("Accompagnement", {"beneficiaire": absorbe}),
		"rappels": frappe.db.count("Rappel", {"beneficiaire": absorbe}),
		"documents": frappe.db.count(
			"File", {"attached_to_doctype": "Beneficiaire", "attached_to_name": absorbe}
		),
	}
	resume_absorbe = f"{doc_absorbe.name} ({doc_absorbe.nom_complet}, {frappe.format(doc_absorbe.date_naissance, {'fieldtype': 'Date'}) or _('date de naissance inconnue')})"
	# The matching already told they are one person: the form's duplicate question is not asked.
	doc_garde.doublon_confirme = 1
	doc_garde.flags.ignore_permissions = True
	doc_garde.save()
	# Frappe's merge deletes the absorbed file with the user's own delete right; the rule above is
	# what allows it here: the file's after_rename deletes it first (Beneficiaire.after_rename).
	frappe.flags.fusion_autorisee = absorbe
	try:
		rename_doc(
			"Beneficiaire",
			absorbe,
			garde,
			merge=True,
			force=True,
			ignore_permissions=True,
			show_alert=False,
			rebuild_search=False,
		)
	finally:
		frappe.flags.fusion_autorisee = None
	nom_complet = frappe.db.get_value("Beneficiaire", garde, "nom_complet")
	for doctype in ("Accompagnement", "Rappel"):
		frappe.db.set_value(
			doctype, {"beneficiaire": garde}, "nom_beneficiaire", nom_complet, update_modified=False
		)
	from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import rafraichir_synthese

	rafraichir_synthese(garde)
	details = ", ".join(f"{n} {quoi}" for quoi, n in comptes.items() if n) or _("aucun accompagnement")
	texte = _("Dossier {0} fusionné dans ce dossier par {1} : {2} repris").format(
		resume_absorbe, frappe.session.user, details
	)
	if completes:
		texte += _(" ; champs complétés : {0}").format(
			", ".join(_(doc_garde.meta.get_label(c)) for c in completes)
		)
	frappe.get_doc("Beneficiaire", garde).add_comment("Info", texte + ".")
	return garde


def completer(doc_garde, doc_absorbe) -> list[str]:
	"""Empty fields of the kept file take the absorbed file's values; rows of its tables are added
	(a référent only once)."""
	completes = []
	for df in doc_garde.meta.fields:
		if df.fieldname in CHAMPS_EXCLUS or df.fieldtype not in CHAMPS_COPIABLES or df.get("is_virtual"):
			continue
		if not doc_garde.get(df.fieldname) and doc_absorbe.get(df.fieldname):
			doc_garde.set(df.fieldname, doc_absorbe.get(df.fieldname))
			completes.append(df.fieldname)
	referents = {r.user for r in doc_garde.referents}
	for table in TABLES:
		for row in doc_absorbe.get(table):
			if table == "referents" and row.user in referents:
				continue
			valeurs = {
				k: v
				for k, v in row.as_dict().items()
				if k not in ("name", "parent", "idx", "creation", "modified")
			}
			if table == "entourage" and valeurs.get("beneficiaire_lie") in (doc_garde.name, doc_absorbe.name):
				valeurs["beneficiaire_lie"] = None
			doc_garde.append(table, valeurs)
	return completes
