"""The persons' rights on their social file: access (RGPD art. 15) and erasure (art. 17).

Right of access — « Droit d'accès : exporter le dossier » (:func:`exporter_dossier`): the complete
file of one person, as a readable French PDF (Frappe's wkhtmltopdf, as the yearly report) or as
JSON, for the agent to hand over. Everything the app holds about the person: every field of the
file (confidential ones included, and the structure's custom fields), its tables (référents,
entourage, ressources), the accompaniments with their typologies, decisions and amounts, the
rappels, the comments, the list of documents (names and dates, not their content, handed over
separately) and the private reports (below). Each export is written to the Access Log.

Who exports: a Responsable de structure or a Travailleur social of the file's structure — the
roles that read confidential fields (permission level 1), so that the export can be complete.
Never the Agent d'accueil: the export holds the health, resources and protection data their role
does not read.

Private reports (Compte Rendu Prive): the notes an agent writes about the person are personal data
of that person, and art. 15 covers them (the only exceptions are the rights of others, art. 15-4:
third parties named in a note, which the agent reviews before handing over). So the Responsable's
export — the one that answers a request — includes every private report of the file; a
Travailleur social's export includes those they may read (author, delegate, covering colleague)
and counts the others, and says it is incomplete. This is the one deliberate exception to « a
private report is read by its author and delegate only », for the Responsable answering a right of
access, and it is logged. Choice to be validated by the structure's DPO (docs/registre-rgpd.md).

Right to erasure — « Effacer définitivement le dossier » (:func:`effacer_dossier`): a Responsable
de structure deletes the file permanently, with everything that hangs on it (accompaniments,
rappels, private reports, attachments, on disk too), and the copies Frappe keeps elsewhere
(rgpd/traces.py: Version, Deleted Document, comments, e-mails, notifications, assignments,
shares, search indexes, SMS). Logs keep who did what but no longer name the file: the rows of the
Access Log and View Log that referenced it are re-pointed to the erasure's opaque reference;
Error Log and Route History rows naming it are deleted. The confirmation is the file number typed
by the Responsable; the audit entry (Effacement RGPD) holds the structure, the date, who, the
counts per kind of record and an opaque reference: no name, no file number.

Import fingerprints (Ligne Importee): kept, unlinked from the file (beneficiaire and accompaniments
blanked). The fingerprint is a truncated SHA-256 of the legacy row: it does not let anyone find
the person without the original workbook, and it keeps a new import of that old workbook from
silently recreating the erased file (the row is reported « déjà importée »). To be validated by
the DPO: the alternative — deleting the fingerprints — makes a re-import bring the person back.

Both entry points are whitelisted POST methods with typed parameters, the structure criterion
first (a structure that is not the user's is refused before anything is read), then the role,
then the file's own permission."""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.utils import cint, format_datetime, now_datetime, strip_html_tags

from suivi_social.roles import RESPONSABLE, TRAVAILLEUR_SOCIAL
from suivi_social.statistiques.perimetre import verifier_structure

# Roles that read confidential fields and so may export a complete file. Not the Agent d'accueil.
ROLES_ACCES = (RESPONSABLE, TRAVAILLEUR_SOCIAL)
# The right to erasure: the Responsable de structure only.
ROLES_EFFACEMENT = (RESPONSABLE,)

# Technical keys derived from the name and the phones (the search index), and the types summed up
# for the statistics (Accompagnement.resumer_types): their content is in the fields they derive from.
CHAMPS_TECHNIQUES = {
	"nom_recherche",
	"telephones_recherche",
	"doublon_confirme",
	"typologie_seule",
	"plusieurs_typologies",
}
FORMATS = ("pdf", "json")
METHODE = "suivi_social.rgpd.droits"
TITRE_ACCES = "Droit d'accès"


class ConfirmationIncorrecte(frappe.ValidationError):
	"""The file number typed to confirm an erasure is not the file's."""


# --- Checks ---------------------------------------------------------------------------------------


def dossier_de_la_structure(structure: str, beneficiaire: str):
	"""The structure criterion first, then the file within it; the same refusal whether the file
	exists elsewhere or not at all (no oracle)."""
	verifier_structure(structure)
	if not structure:
		frappe.throw(_("Choisissez une structure."), frappe.ValidationError)
	if not beneficiaire or frappe.db.get_value("Beneficiaire", beneficiaire, "structure") != structure:
		frappe.throw(
			_("Le dossier « {0} » n'appartient pas à la structure « {1} ».").format(beneficiaire, structure),
			frappe.PermissionError,
		)
	return frappe.get_doc("Beneficiaire", beneficiaire)


def a_un_role(roles) -> bool:
	# Checked explicitly: frappe.only_for does nothing in tests (STYLE.md).
	return bool(set(roles) & set(frappe.get_roles()))


def refus_acces(doc) -> str | None:
	"""Why the session user may not export this file (French), or None."""
	if not a_un_role(ROLES_ACCES):
		return _(
			"L'export du dossier (droit d'accès) est réservé au responsable de la structure et aux "
			"travailleurs sociaux."
		)
	if not frappe.has_permission("Beneficiaire", "read", doc):
		return _("Vous n'avez pas accès au dossier {0}.").format(doc.name)
	if 1 not in frappe.get_meta("Beneficiaire").get_permlevel_access("read"):
		return _(
			"Votre rôle ne lit pas les informations confidentielles du dossier : l'export serait incomplet."
		)
	return None


def refus_effacement(doc) -> str | None:
	if not a_un_role(ROLES_EFFACEMENT):
		return _("L'effacement définitif d'un dossier est réservé au responsable de la structure.")
	if not frappe.has_permission("Beneficiaire", "delete", doc):
		return _("Vous n'avez pas le droit de supprimer le dossier {0}.").format(doc.name)
	return None


def verifier(refus: str | None) -> None:
	if refus:
		frappe.throw(refus, frappe.PermissionError)


def droits_du_formulaire(doc) -> dict:
	"""What the file's form offers (Beneficiaire.onload): the same rules as the methods."""
	return {
		"peut_exporter": refus_acces(doc) is None,
		"peut_effacer": refus_effacement(doc) is None,
	}


# --- Right of access ------------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def exporter_dossier(structure: str, beneficiaire: str, format: str = "pdf") -> None:
	"""Download the complete file of one person (PDF or JSON); logged in the Access Log. POST: each
	download writes to the log."""
	doc = dossier_de_la_structure(structure, beneficiaire)
	verifier(refus_acces(doc))
	format = (format or "").lower()
	if format not in FORMATS:
		frappe.throw(
			_("Format inconnu : {0}. Choisissez PDF ou JSON.").format(format), frappe.ValidationError
		)
	donnees = contenu_du_dossier(doc)
	if format == "pdf":
		contenu = pdf(donnees)
	else:
		contenu = frappe.as_json(donnees_json(donnees), indent=1).encode()
	journaliser(doc, format, donnees)
	frappe.local.response.filename = f"droit-acces-{doc.name}.{format}"
	frappe.local.response.filecontent = contenu
	frappe.local.response.type = "download"


def journaliser(doc, format: str, donnees: frappe._dict) -> None:
	from suivi_social.exports import journaliser as journal

	journal(
		doctype="Beneficiaire",
		document=doc.name,
		report_name=_(TITRE_ACCES),
		file_type=format.upper(),
		filters={
			"structure": doc.structure,
			"comptes_rendus_prives": len(donnees.comptes_rendus_prives),
			"complet": donnees.complet,
		},
		method=f"{METHODE}.exporter_dossier",
	)


def contenu_du_dossier(doc) -> frappe._dict:
	"""Everything about the person, as sections of labelled values (the PDF) that also carry the
	raw values (the JSON). The caller has checked the user's right."""
	accompagnements = [
		frappe.get_doc("Accompagnement", n)
		for n in frappe.get_all(
			"Accompagnement",
			filters={"beneficiaire": doc.name},
			order_by="date asc, creation asc",
			pluck="name",
		)
	]
	noms_acc = [a.name for a in accompagnements]
	rappels = [
		frappe.get_doc("Rappel", n)
		for n in frappe.get_all(
			"Rappel",
			or_filters=[["beneficiaire", "=", doc.name], ["accompagnement", "in", noms_acc or [""]]],
			order_by="date_echeance asc, creation asc",
			pluck="name",
		)
	]
	crp, retenus = comptes_rendus_prives(noms_acc)
	references = (
		[("Beneficiaire", doc.name)]
		+ [("Accompagnement", n) for n in noms_acc]
		+ [("Rappel", r.name) for r in rappels]
		+ [("Compte Rendu Prive", c.name) for c in crp]
	)
	return frappe._dict(
		titre=_("Dossier {0} — droit d'accès").format(doc.name),
		numero=doc.name,
		structure=doc.structure,
		genere_le=format_datetime(now_datetime(), "dd/MM/yyyy HH:mm"),
		genere_par=frappe.utils.get_fullname(frappe.session.user),
		complet=not retenus,
		comptes_rendus_retenus=retenus,
		dossier=enregistrement(doc),
		accompagnements=[
			{
				**enregistrement(a),
				"typologies": [
					titre_lien("Type Accompagnement", t.type_accompagnement) for t in a.types_accompagnement
				],
				"comptes_rendus_prives": [enregistrement(c) for c in crp if c.accompagnement == a.name],
			}
			for a in accompagnements
		],
		rappels=[enregistrement(r) for r in rappels],
		comptes_rendus_prives=[c.name for c in crp],
		documents=documents(references),
		commentaires=commentaires(references),
	)


def comptes_rendus_prives(accompagnements: list[str]) -> tuple[list, int]:
	"""The private reports of these accompaniments included in the export, and how many were kept
	out. The Responsable's export includes them all (see the module's docstring); a Travailleur
	social's, those they may read (frappe.get_list: author, delegate, covering colleague)."""
	if not accompagnements:
		return [], 0
	filtres = {"accompagnement": ("in", accompagnements)}
	tous = frappe.get_all("Compte Rendu Prive", filters=filtres, order_by="creation asc", pluck="name")
	if a_un_role((RESPONSABLE,)):
		lisibles = tous
	else:
		lisibles = frappe.get_list(
			"Compte Rendu Prive", filters=filtres, order_by="creation asc", pluck="name"
		)
	return [frappe.get_doc("Compte Rendu Prive", n) for n in lisibles], len(tous) - len(lisibles)


def enregistrement(doc) -> dict:
	"""One record: its number and every field with a value, labelled, by section; its tables."""
	meta = frappe.get_meta(doc.doctype)
	sections, section = [], {"titre": _(meta.name), "champs": []}
	tables = []
	for df in meta.fields:
		if df.fieldtype in ("Section Break", "Tab Break"):
			if section["champs"]:
				sections.append(section)
			section = {"titre": _(df.label) if df.label else section["titre"], "champs": []}
			continue
		if df.fieldname in CHAMPS_TECHNIQUES:
			continue
		if df.fieldtype in table_fields:
			lignes = doc.get(df.fieldname) or []
			if lignes:
				tables.append(table(df, lignes))
			continue
		if df.fieldtype in no_value_fields:
			continue
		valeur = doc.get(df.fieldname)
		if valeur in (None, "") or (df.fieldtype == "Check" and not valeur and df.fieldname != "statut"):
			continue
		section["champs"].append(
			{"champ": df.fieldname, "libelle": _(df.label), "valeur": valeur, "texte": texte(df, valeur)}
		)
	if section["champs"]:
		sections.append(section)
	return {
		"type": _(doc.doctype),
		"numero": doc.name,
		"cree_le": format_datetime(doc.creation, "dd/MM/yyyy HH:mm"),
		"sections": sections,
		"tables": tables,
	}


def table(df, lignes) -> dict:
	meta = frappe.get_meta(df.options)
	colonnes = [c for c in meta.fields if c.fieldtype not in no_value_fields]
	return {
		"champ": df.fieldname,
		"titre": _(df.label),
		"colonnes": [_(c.label) for c in colonnes],
		"lignes": [[texte(c, ligne.get(c.fieldname)) for c in colonnes] for ligne in lignes],
		"valeurs": [{c.fieldname: ligne.get(c.fieldname) for c in colonnes} for ligne in lignes],
	}


def texte(df, valeur) -> str:
	"""A value as a person reads it: names rather than identifiers, no HTML, French formats."""
	if valeur in (None, ""):
		return ""
	if df.fieldtype == "Check":
		return _("Oui") if cint(valeur) else _("Non")
	if df.fieldtype == "Link":
		return titre_lien(df.options, valeur)
	if df.fieldtype in ("Text Editor", "HTML Editor", "Markdown Editor"):
		return strip_html_tags(str(valeur)).strip()
	if df.fieldtype == "Select":
		return _(valeur)
	return str(frappe.format(valeur, df))


def titre_lien(doctype: str, name: str | None) -> str:
	if not name:
		return ""
	if doctype == "User":
		return frappe.utils.get_fullname(name)
	title_field = frappe.get_meta(doctype).title_field
	if title_field and title_field != "name":
		return frappe.db.get_value(doctype, name, title_field) or name
	return name


def documents(references: list[tuple[str, str]]) -> list[dict]:
	"""The attachments of the file and of what hangs on it: their names and dates (the files
	themselves are handed over separately)."""
	lignes = []
	for doctype, name in references:
		for f in frappe.get_all(
			"File",
			filters={"attached_to_doctype": doctype, "attached_to_name": name, "is_folder": 0},
			fields=["file_name", "creation", "file_size"],
			order_by="creation asc",
		):
			lignes.append(
				{
					"nom": f.file_name,
					"rattache_a": f"{_(doctype)} {name}",
					"date": format_datetime(f.creation, "dd/MM/yyyy"),
					"taille": taille(f.file_size or 0),
				}
			)
	return lignes


def taille(octets: int) -> str:
	if octets < 1024 * 1024:
		return _("{0} ko").format(max(1, round(octets / 1024)))
	return _("{0} Mo").format(frappe.format(octets / 1024 / 1024, {"fieldtype": "Float", "precision": 1}))


def commentaires(references: list[tuple[str, str]]) -> list[dict]:
	lignes = []
	for doctype, name in references:
		for c in frappe.get_all(
			"Comment",
			filters={"reference_doctype": doctype, "reference_name": name, "comment_type": "Comment"},
			fields=["content", "creation", "comment_email"],
			order_by="creation asc",
		):
			lignes.append(
				{
					"rattache_a": f"{_(doctype)} {name}",
					"date": format_datetime(c.creation, "dd/MM/yyyy HH:mm"),
					"auteur": frappe.utils.get_fullname(c.comment_email) if c.comment_email else "",
					"texte": strip_html_tags(c.content or "").strip(),
				}
			)
	return lignes


def donnees_json(d: frappe._dict) -> dict:
	"""The JSON export: raw values by field name, with their French labels."""

	def brut(e: dict) -> dict:
		return {
			"numero": e["numero"],
			"cree_le": e["cree_le"],
			"champs": {
				c["champ"]: {"libelle": c["libelle"], "valeur": c["valeur"]}
				for s in e["sections"]
				for c in s["champs"]
			},
			"tables": {t["champ"]: {"libelle": t["titre"], "lignes": t["valeurs"]} for t in e["tables"]},
		}

	return {
		"objet": _("Export du dossier au titre du droit d'accès (article 15 du RGPD)"),
		"numero_dossier": d.numero,
		"structure": d.structure,
		"genere_le": d.genere_le,
		"genere_par": d.genere_par,
		"complet": d.complet,
		"comptes_rendus_prives_non_inclus": d.comptes_rendus_retenus,
		"dossier": brut(d.dossier),
		"accompagnements": [
			{
				**brut(a),
				"typologies": a["typologies"],
				"comptes_rendus_prives": [brut(c) for c in a["comptes_rendus_prives"]],
			}
			for a in d.accompagnements
		],
		"rappels": [brut(r) for r in d.rappels],
		"documents": d.documents,
		"commentaires": d.commentaires,
	}


def pdf(donnees: frappe._dict) -> bytes:
	from frappe.utils.pdf import get_pdf

	html = frappe.render_template("suivi_social/rgpd/droit_acces.html", {"d": donnees})
	return get_pdf(
		html, {"page-size": "A4", "margin-top": "15mm", "margin-bottom": "15mm", "title": donnees.titre}
	)


# --- Right to erasure -----------------------------------------------------------------------------


@frappe.whitelist()
def apercu_effacement(structure: str, beneficiaire: str) -> dict:
	"""What an erasure would delete (shown in the confirmation dialog); reads only."""
	doc = dossier_de_la_structure(structure, beneficiaire)
	verifier(refus_effacement(doc))
	return {"numero": doc.name, "comptes": compter(perimetre(doc))}


@frappe.whitelist(methods=["POST"])
def effacer_dossier(structure: str, beneficiaire: str, confirmation: str) -> dict:
	"""Erase the file permanently (see the module's docstring). Returns the erasure's reference."""
	doc = dossier_de_la_structure(structure, beneficiaire)
	verifier(refus_effacement(doc))
	if (confirmation or "").strip().upper() != doc.name.upper():
		frappe.throw(
			_("Pour confirmer, saisissez exactement le numéro du dossier ({0}).").format(doc.name),
			ConfirmationIncorrecte,
		)
	return effacer(doc)


def perimetre(doc) -> dict[str, list[str]]:
	"""The records erased with the file, by DocType (attachments are counted apart)."""
	accompagnements = frappe.get_all("Accompagnement", filters={"beneficiaire": doc.name}, pluck="name")
	return {
		"Compte Rendu Prive": frappe.get_all(
			"Compte Rendu Prive", filters={"accompagnement": ("in", accompagnements or [""])}, pluck="name"
		),
		"Rappel": frappe.get_all(
			"Rappel",
			or_filters=[["beneficiaire", "=", doc.name], ["accompagnement", "in", accompagnements or [""]]],
			pluck="name",
		),
		"Accompagnement": accompagnements,
		"Beneficiaire": [doc.name],
	}


def compter(par_doctype: dict[str, list[str]]) -> dict[str, int]:
	comptes = {doctype: len(noms) for doctype, noms in par_doctype.items()}
	comptes["File"] = sum(
		frappe.db.count("File", {"attached_to_doctype": dt, "attached_to_name": ("in", noms)})
		for dt, noms in par_doctype.items()
		if noms
	)
	return comptes


def effacer(doc) -> dict:
	"""Runs without permission checks: the caller has checked the structure and the role."""
	from suivi_social.rgpd.traces import purger_traces
	from suivi_social.statistiques import memoire

	par_doctype = perimetre(doc)
	comptes = compter(par_doctype)
	reference = frappe.generate_hash(length=12).upper()
	# Identifying values whose copies carry no reference to the file (printed pages, SMS).
	valeurs = [
		v
		for v in (doc.nom_complet, doc.numero_securite_sociale, doc.telephone, doc.telephone_2, doc.email)
		if v
	]
	documents = [(dt, n) for dt, noms in par_doctype.items() for n in noms]

	delier(doc.name)
	# Children before parents (a rappel links its accompaniment, which links the file); without a
	# Deleted Document copy; Frappe's delete_doc also deletes each record's attachments.
	for doctype, noms in par_doctype.items():
		for nom in noms:
			frappe.delete_doc(doctype, nom, ignore_permissions=True, delete_permanently=True)
	traces = purger_traces(documents, valeurs)
	traces_journaux = journaux(documents, valeurs, reference)
	memoire.invalider_structure(doc.structure)

	audit = frappe.get_doc(
		{
			"doctype": "Effacement RGPD",
			"reference": reference,
			"structure": doc.structure,
			"date": now_datetime(),
			"effectue_par": frappe.session.user,
			"comptes": [{"type_document": _(doctype), "nombre": n} for doctype, n in comptes.items() if n],
			"traces_supprimees": sum(traces.values()) + traces_journaux,
		}
	)
	audit.insert(ignore_permissions=True)
	return {"reference": reference, "effacement": audit.name, "comptes": comptes}


def delier(beneficiaire: str) -> None:
	"""What points at the file from records that stay: another file's entourage row keeps its
	text (that other person's data) and loses its link; import fingerprints lose theirs (see the
	module's docstring)."""
	frappe.db.sql(
		"update `tabEntourage Beneficiaire` set beneficiaire_lie = null where beneficiaire_lie = %s",
		beneficiaire,
	)
	frappe.db.sql(
		"update `tabLigne Importee` set beneficiaire = null, accompagnements = null where beneficiaire = %s",
		beneficiaire,
	)


def journaux(documents: list[tuple[str, str]], valeurs: list[str], reference: str) -> int:
	"""Logs that still name an erased record: the accountability rows (who opened, who exported)
	stay, re-pointed to the erasure's opaque reference; technical rows are deleted."""
	from suivi_social.rgpd.traces import _echapper_like, _lignes_contenant

	noms = sorted({n for _dt, n in documents})
	if not noms:
		return 0
	n = 0
	for table, colonne in (("Access Log", "reference_document"), ("View Log", "reference_name")):
		lignes = frappe.get_all(table, filters={colonne: ("in", noms)}, pluck="name")
		if lignes:
			frappe.db.set_value(table, {"name": ("in", lignes)}, colonne, reference, update_modified=False)
		n += len(lignes)
	# Error Log: tracebacks may quote values; Route History: the desk routes the agents followed.
	cherches = [c for c in (*noms, *valeurs) if len(c) >= 3]
	for table, colonnes in (
		("Error Log", ("reference_name", "error", "method")),
		("Route History", ("route",)),
	):
		lignes = _lignes_contenant(table, colonnes, cherches)
		if lignes:
			frappe.db.delete(table, {"name": ("in", lignes)})
		n += len(lignes)
	# frappe.delete_doc records each deletion as a « Deleted » comment titled with the record's
	# name, without reference_name (model/delete_doc.py): the audit entry replaces them.
	for doctype, nom in documents:
		lignes = frappe.get_all(
			"Comment",
			filters={
				"comment_type": "Deleted",
				"reference_doctype": doctype,
				"subject": ("like", f"% {_echapper_like(nom)}"),
			},
			pluck="name",
		)
		if lignes:
			frappe.db.delete("Comment", {"name": ("in", lignes)})
		n += len(lignes)
	# Tags keep the record's title (the person's name) in Tag Link.
	for doctype, nom in documents:
		n += len(
			lignes := frappe.get_all(
				"Tag Link", filters={"document_type": doctype, "document_name": nom}, pluck="name"
			)
		)
		if lignes:
			frappe.db.delete("Tag Link", {"name": ("in", lignes)})
	return n
