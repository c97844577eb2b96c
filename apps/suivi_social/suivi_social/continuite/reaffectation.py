"""Bulk reassignment when an agent leaves: a Responsable hands everything an agent (A) holds in the
structure to a colleague (B), in one action, after a preview.

What A holds, in the structure only:
- the files where A is a référent (Beneficiaire.referents, child table Referent Beneficiaire):
  B takes A's place (A's row is dropped when B is already a référent);
- the rappels still to do assigned to A (Rappel.assigne_a);
- the appointments still to come with A (Accompagnement.agent, `rendez_vous`, from today, neither
  cancelled nor with an outcome). Past accompaniments keep their agent: they record who did what;
- the open ToDo assignments (Frappe's « Assigner à ») of A on the structure's files, accompaniments
  and rappels: closed for A and opened for B through frappe.desk.form.assign_to, which keeps the
  records' `_assign` and notifies B.

Why written by hand: Frappe has no bulk reassignment. Its list view « Modifier » sets one field on
many records (a Link field, not a row of a child table, and without a preview or an audit entry),
and its Assignment Rule assigns new records only.

Audit: each record is saved through its controller (same validations as a save in the form), with
a Version row (track_changes) and a Comment in its timeline naming the reassignment; the
Reaffectation record sums up the action and lists every record changed. Everything is written in
one transaction: a record that cannot be saved cancels the whole reassignment, with its name in the
error."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import get_fullname, now_datetime, today

from suivi_social.api.equipe import ROLES_DE_STRUCTURE, verifier_gestionnaire
from suivi_social.permissions.structure import is_agent_of
from suivi_social.roles import RESPONSABLE, TRAVAILLEUR_SOCIAL

# Files and appointments go to someone who does social work.
ROLES_DE_SUIVI = {RESPONSABLE, TRAVAILLEUR_SOCIAL}
# Shown in the preview; the action itself takes every record.
LIGNES_APERCU = 100
# Records an agent's ToDo may point to, all of them carrying a structure.
DOCTYPES_TACHES = ("Beneficiaire", "Accompagnement", "Rappel")


class ReaffectationRefusee(frappe.ValidationError):
	"""The reassignment cannot be done as asked (colleague, agent, nothing to do)."""


@frappe.whitelist()
def apercu(structure: str, agent: str, collegue: str | None = None) -> dict:
	"""What a reassignment of `agent`'s work to `collegue` would change: counts and lists."""
	verifier_gestionnaire(structure)
	inventaire = inventorier(structure, agent)
	resultat = {
		"agent": agent,
		"nom_agent": get_fullname(agent),
		**{cle: len(lignes) for cle, lignes in inventaire.items()},
		"listes": {cle: lignes[:LIGNES_APERCU] for cle, lignes in inventaire.items()},
		"erreur": None,
	}
	if collegue:
		try:
			verifier_collegue(structure, agent, collegue, inventaire)
		except ReaffectationRefusee as e:
			resultat["erreur"] = str(e)
	return resultat


@frappe.whitelist(methods=["POST"])
def reaffecter(structure: str, agent: str, collegue: str) -> dict:
	"""Reassign `agent`'s files, rappels to do, appointments to come and open assignments in the
	structure to `collegue`; returns the Reaffectation record's name and the counts."""
	verifier_gestionnaire(structure)
	inventaire = inventorier(structure, agent)
	verifier_collegue(structure, agent, collegue, inventaire)
	if not any(inventaire.values()):
		frappe.throw(
			_("{0} n'a ni dossier, ni rappel à faire, ni rendez-vous à venir dans la structure {1}.").format(
				get_fullname(agent), structure
			),
			ReaffectationRefusee,
		)

	point = "reaffectation"
	frappe.db.savepoint(point)
	try:
		lignes = appliquer(agent, collegue, inventaire)
		trace = frappe.get_doc(
			{
				"doctype": "Reaffectation",
				"structure": structure,
				"agent": agent,
				"collegue": collegue,
				"date": now_datetime(),
				**{cle: len(inventaire[cle]) for cle in ("dossiers", "rappels", "rendez_vous", "taches")},
				"documents": lignes,
			}
		).insert(ignore_permissions=True)
		texte = _("Réaffecté de {0} à {1} lors du départ de {0} (réaffectation {2}).").format(
			get_fullname(agent), get_fullname(collegue), trace.name
		)
		for ligne in lignes:
			frappe.get_doc(
				{
					"doctype": "Comment",
					"comment_type": "Info",
					"reference_doctype": ligne["type_document"],
					"reference_name": ligne["document"],
					"content": texte,
				}
			).insert(ignore_permissions=True)
	except Exception:
		frappe.db.rollback(save_point=point)
		raise
	frappe.db.release_savepoint(point)
	return {"name": trace.name, **{cle: len(v) for cle, v in inventaire.items()}}


def verifier_collegue(structure: str, agent: str, collegue: str, inventaire: dict) -> None:
	if collegue == agent:
		frappe.throw(_("Choisissez un autre collègue que l'agent qui part."), ReaffectationRefusee)
	if not frappe.db.get_value("User", collegue, "enabled") or not is_agent_of(collegue, structure):
		frappe.throw(
			_("{0} n'est pas un agent actif de la structure {1}.").format(collegue, structure),
			ReaffectationRefusee,
		)
	roles = set(frappe.get_roles(collegue))
	if not roles & set(ROLES_DE_STRUCTURE):
		frappe.throw(
			_("{0} n'a pas de rôle dans la structure : il ou elle ne peut rien reprendre.").format(
				get_fullname(collegue)
			),
			ReaffectationRefusee,
		)
	if (inventaire["dossiers"] or inventaire["rendez_vous"]) and not roles & ROLES_DE_SUIVI:
		frappe.throw(
			_(
				"{0} n'est ni travailleur social ni responsable : les dossiers et les rendez-vous "
				"ne peuvent pas lui être confiés."
			).format(get_fullname(collegue)),
			ReaffectationRefusee,
		)


def inventorier(structure: str, agent: str) -> dict[str, list[dict]]:
	"""Everything `agent` holds in `structure`, read with the caller's permissions."""
	dossiers = frappe.get_list(
		"Beneficiaire",
		filters=[["structure", "=", structure], ["Referent Beneficiaire", "user", "=", agent]],
		fields=["name", "nom_complet", "statut"],
		order_by="nom_complet asc",
		limit_page_length=0,
		distinct=True,
	)
	rappels = frappe.get_list(
		"Rappel",
		filters={"structure": structure, "assigne_a": agent, "statut": "À faire"},
		fields=["name", "titre", "date_echeance"],
		order_by="date_echeance asc",
		limit_page_length=0,
	)
	rendez_vous = frappe.get_list(
		"Accompagnement",
		filters={
			"structure": structure,
			"agent": agent,
			"rendez_vous": 1,
			"date": (">=", today()),
			"statut": ("!=", "Annulé"),
			"issue_rendez_vous": ("is", "not set"),
		},
		fields=["name", "nom_beneficiaire", "date", "heure"],
		order_by="date asc, heure asc",
		limit_page_length=0,
	)
	return {
		"dossiers": [
			{"name": d.name, "libelle": f"{d.nom_complet} ({_(d.statut)})" if d.statut else d.nom_complet}
			for d in dossiers
		],
		"rappels": [
			{"name": r.name, "libelle": f"{r.titre} ({frappe.format(r.date_echeance, 'Date')})"}
			for r in rappels
		],
		"rendez_vous": [
			{
				"name": a.name,
				"libelle": " ".join(
					filter(None, [a.nom_beneficiaire, frappe.format(a.date, "Date"), str(a.heure or "")[:5]])
				),
			}
			for a in rendez_vous
		],
		"taches": taches(structure, agent),
	}


def taches(structure: str, agent: str) -> list[dict]:
	"""Open ToDos of `agent` on the structure's records (ToDo itself carries no structure)."""
	todos = frappe.get_all(
		"ToDo",
		filters={"allocated_to": agent, "status": "Open", "reference_type": ("in", DOCTYPES_TACHES)},
		fields=["name", "reference_type", "reference_name", "description"],
		order_by="date asc",
	)
	resultat = []
	for doctype in DOCTYPES_TACHES:
		noms = [t.reference_name for t in todos if t.reference_type == doctype]
		if not noms:
			continue
		de_la_structure = set(
			frappe.get_list(
				doctype,
				filters={"name": ("in", noms), "structure": structure},
				pluck="name",
				limit_page_length=0,
			)
		)
		resultat += [
			{
				"name": t.name,
				"reference_type": t.reference_type,
				"reference_name": t.reference_name,
				"libelle": f"{_(t.reference_type)} {t.reference_name}",
			}
			for t in todos
			if t.reference_type == doctype and t.reference_name in de_la_structure
		]
	return resultat


def appliquer(agent: str, collegue: str, inventaire: dict) -> list[dict]:
	"""Save every record with `collegue` in place of `agent`; returns the audit rows."""
	lignes = []
	vers = _("{0} → {1}")

	for item in inventaire["dossiers"]:
		doc = frappe.get_doc("Beneficiaire", item["name"])
		deja = any(r.user == collegue for r in doc.referents)
		if deja:
			doc.set("referents", [r for r in doc.referents if r.user != agent])
		else:
			for row in doc.referents:
				if row.user == agent:
					row.user = collegue
		enregistrer(doc)
		lignes.append(ligne(doc, item, _("Référent : ") + vers.format(agent, collegue)))

	for item in inventaire["rappels"]:
		doc = frappe.get_doc("Rappel", item["name"])
		doc.assigne_a = collegue
		enregistrer(doc)
		lignes.append(ligne(doc, item, _("Assigné à : ") + vers.format(agent, collegue)))

	for item in inventaire["rendez_vous"]:
		doc = frappe.get_doc("Accompagnement", item["name"])
		doc.agent = collegue
		enregistrer(doc)
		lignes.append(ligne(doc, item, _("Agent : ") + vers.format(agent, collegue)))

	for item in inventaire["taches"]:
		# A controller above may already have moved the assignment with its field.
		if frappe.db.get_value("ToDo", item["name"], "status") != "Open":
			continue
		description = frappe.db.get_value("ToDo", item["name"], "description")
		assign_to.add(
			{
				"assign_to": [collegue],
				"doctype": item["reference_type"],
				"name": item["reference_name"],
				"description": description,
			},
			ignore_permissions=True,
		)
		assign_to.remove(item["reference_type"], item["reference_name"], agent, ignore_permissions=True)
		lignes.append(
			{
				"type_document": item["reference_type"],
				"document": item["reference_name"],
				"libelle": item["libelle"],
				"changement": _("Tâche assignée : ") + vers.format(agent, collegue),
			}
		)
	return lignes


def enregistrer(doc) -> None:
	"""Saved through the controller, with a Version row (even in tests), after the caller's check
	(verifier_gestionnaire and the structure filter of the inventory). A record that fails its
	validation names itself in the error and cancels everything."""
	try:
		doc.save(ignore_permissions=True, ignore_version=False)
	except frappe.ValidationError as e:
		frappe.clear_last_message()  # said again below, with the record's name
		frappe.throw(
			_("{0} {1} ne peut pas être réaffecté : {2}").format(
				_(doc.doctype), doc.name, str(e) or e.__class__.__name__
			),
			ReaffectationRefusee,
		)


def ligne(doc, item: dict, changement: str) -> dict:
	return {
		"type_document": doc.doctype,
		"document": doc.name,
		"libelle": item["libelle"][:140],
		"changement": changement,
	}
