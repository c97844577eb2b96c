"""The Accueil page's whitelisted methods: find a person, then note a visit or a call, book an
appointment, or leave a message for the référent.

Each method checks the file first (structure criterion: the user must be able to read it), then
acts with the user's own permissions: the records are inserted without ignore_permissions, so the
DocTypes' role rules and the structure guard (permissions/structure.py) apply as in the desk.

What a result shows is cut by the DocTypes' field levels (Meta.get_permlevel_access), not by a
list of roles: the Agent d'accueil, who reads level 0 only, never receives an amount or another
confidential value, even in the JSON."""

import re
from datetime import datetime, time

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, now_datetime, nowdate

from suivi_social.accueil.recherche import RechercheInvalide, rechercher
from suivi_social.continuite.absences import absence_en_cours, remplacant
from suivi_social.utils.identite import IdentiteInvalide, chiffres, normaliser_telephone

# « Noter un passage / un appel »: the two modes of the Accompagnement the page offers.
MODES_PASSAGE = {"accueil": "Accueil physique spontané", "telephone": "Entretien téléphonique"}
# The modes an appointment may take (the others — mail, e-mail, a third party — have no time slot).
MODES_RENDEZ_VOUS = (
	"Accueil physique sur rendez-vous",
	"Entretien téléphonique",
	"Visite à domicile",
	"Rendez-vous extérieur",
	"Visioconférence",
)
STATUTS_OUVERTS = ("À traiter", "En cours")
LONGUEUR_NOTE = 2000


class DossierInaccessible(frappe.PermissionError):
	"""The file does not exist or is not of the user's structures (one message for both, so that
	the page cannot be used to learn which file numbers exist elsewhere)."""


class RendezVousImpossible(frappe.ValidationError):
	"""The appointment overlaps another one of the agent, is in the past, or is malformed."""


# --- Search -----------------------------------------------------------------------------------


@frappe.whitelist()
def chercher(texte: str, archives: bool = False) -> dict:
	"""The files matching `texte` (suivi_social.accueil.recherche), best first, each with what the
	user's role may read of it: identity, référents (or who covers them), next appointment, last
	contact, open requests. A query the engine refuses (empty, one character, too long) comes back
	as `invite`, a French sentence for the page's live region, not as an error dialog."""
	try:
		trouves = rechercher(texte, archives=bool(archives))
	except RechercheInvalide as erreur:
		oublier_le_message(str(erreur))
		return {"resultats": [], "invite": str(erreur), "nouveau_dossier": None}
	return {
		"resultats": enrichir(trouves),
		"invite": None,
		"nouveau_dossier": proposition_de_dossier(texte),
	}


def oublier_le_message(texte: str) -> None:
	"""frappe.throw also queued the message for a dialog: the page shows it in its live region."""
	journal = getattr(frappe.local, "message_log", None) or []
	if journal and texte in str(journal[-1]):
		frappe.clear_last_message()


def champs_lisibles(doctype: str, fieldnames) -> list[str]:
	"""Those of `fieldnames` the user may read, by field level. Frappe's get_list drops the others
	too (DatabaseQuery.apply_fieldlevel_read_permissions); asking only for these keeps the rule
	visible here and lets the values derived below (age, référents…) follow it."""
	meta = frappe.get_meta(doctype)
	niveaux = set(meta.get_permlevel_access("read"))
	lisibles = []
	for fieldname in fieldnames:
		df = meta.get_field(fieldname)
		if fieldname == "name" or (df and (df.permlevel or 0) in niveaux):
			lisibles.append(fieldname)
	return lisibles


def enrichir(trouves: list) -> list[dict]:
	ordre = [t.name for t in trouves]
	if not ordre:
		return []
	rangs = {t.name: t for t in trouves}
	champs = champs_lisibles(
		"Beneficiaire",
		[
			"name",
			"structure",
			"nom_complet",
			"date_naissance",
			"date_deces",
			"commune",
			"statut",
			"referents",
			"dernier_contact",
		],
	)
	# Read again through get_list: the engine applied the structure criterion, this applies every
	# permission rule of the desk on top of it.
	lignes = {
		row.name: row
		for row in frappe.get_list(
			"Beneficiaire",
			filters={"name": ("in", ordre)},
			fields=[f for f in champs if f != "referents"],
			limit_page_length=0,
		)
	}
	noms = [n for n in ordre if n in lignes]
	referents = referents_par_dossier({n: lignes[n].structure for n in noms}) if "referents" in champs else {}
	# Every role of the app reads accompaniments; a role that would not still gets the files.
	lit_les_accompagnements = frappe.has_permission("Accompagnement", "read")
	rendez_vous = prochains_rendez_vous(noms) if lit_les_accompagnements else {}
	demandes = demandes_ouvertes(noms) if lit_les_accompagnements else {}
	types = types_par_defaut(noms) if lit_les_accompagnements else {}
	resultats = []
	for name in noms:
		row = lignes[name]
		resultat = {
			"name": name,
			"score": rangs[name].get("score"),
			"exacte": bool(rangs[name].get("exacte")),
			"archive": row.get("statut") == "Archivé",
			"decede": row.get("statut") == "Décédé",
			**{f: row.get(f) for f in champs if f not in ("name", "referents")},
		}
		if "date_naissance" in champs:
			resultat["age"] = age(row.date_naissance, row.get("date_deces"))
		if "referents" in champs:
			resultat["referents"] = referents.get(name, [])
		resultat["prochain_rendez_vous"] = rendez_vous.get(name)
		resultat["demandes"] = demandes.get(name, [])
		resultat["type_par_defaut"] = types.get(name)
		resultats.append(resultat)
	return resultats


def age(date_naissance, date_deces=None) -> int | None:
	if not date_naissance:
		return None
	fin = getdate(date_deces) if date_deces else getdate()
	naissance = getdate(date_naissance)
	return fin.year - naissance.year - ((fin.month, fin.day) < (naissance.month, naissance.day))


def personne(user: str | None) -> dict | None:
	"""An agent by name."""
	if not user:
		return None
	return {"user": user, "nom": frappe.utils.get_fullname(user)}


def agent_couvert(user: str, structure: str, jour=None) -> dict:
	"""The agent by name; when they are absent from this structure on `jour` (default today),
	`absent` and the colleague who covers them (continuite/absences.py) — None when no one present
	can (the page then says that the agent is absent and no one replaces them)."""
	agent = personne(user)
	absence = absence_en_cours(user, jour)
	agent["absent"] = bool(absence) and frappe.db.get_value("Absence", absence, "structure") == structure
	qui = remplacant(user, jour, structure=structure) if agent["absent"] else user
	agent["remplacant"] = personne(qui) if qui != user else None
	return agent


def referents_par_dossier(structures: dict[str, str]) -> dict[str, list[dict]]:
	"""The référents of these files (name → structure, already permission-checked) by full name."""
	par_dossier: dict[str, list[dict]] = {}
	for row in frappe.get_all(
		"Referent Beneficiaire",
		filters={
			"parenttype": "Beneficiaire",
			"parentfield": "referents",
			"parent": ("in", list(structures)),
		},
		fields=["parent", "user"],
		order_by="idx asc",
	):
		par_dossier.setdefault(row.parent, []).append(agent_couvert(row.user, structures[row.parent]))
	return par_dossier


def prochains_rendez_vous(noms: list[str]) -> dict[str, dict]:
	"""Each file's next planned appointment (today's included, whatever the hour: the person may be
	at the desk for it)."""
	champs = champs_lisibles(
		"Accompagnement",
		["name", "beneficiaire", "structure", "date", "heure", "duree", "agent", "lieu", "mode"],
	)
	prochains: dict[str, dict] = {}
	for row in frappe.get_list(
		"Accompagnement",
		filters={"beneficiaire": ("in", noms), "statut": "Planifié", "date": (">=", nowdate())},
		fields=champs,
		order_by="date asc, heure asc",
		limit_page_length=0,
	):
		if row.beneficiaire in prochains:
			continue
		rdv = {f: row.get(f) for f in champs if f not in ("beneficiaire", "structure", "agent")}
		if row.get("agent"):
			rdv["agent"] = agent_couvert(row.agent, row.structure, row.date)
		prochains[row.beneficiaire] = rdv
	return prochains


def demandes_ouvertes(noms: list[str]) -> dict[str, list[dict]]:
	"""The open accompaniments of each file (« À traiter », « En cours »), with their types and,
	for an aid, its decision; amounts only for who may read them."""
	champs = champs_lisibles(
		"Accompagnement",
		[
			"name",
			"beneficiaire",
			"date",
			"statut",
			"agent",
			"aide_financiere",
			"decision",
			"montant_demande",
			"montant_accorde",
		],
	)
	lignes = frappe.get_list(
		"Accompagnement",
		filters={"beneficiaire": ("in", noms), "statut": ("in", STATUTS_OUVERTS)},
		fields=champs,
		order_by="date desc",
		limit_page_length=0,
	)
	types = noms_des_types([row.name for row in lignes])
	par_dossier: dict[str, list[dict]] = {}
	for row in lignes:
		demande = {f: row.get(f) for f in champs if f not in ("beneficiaire", "agent")}
		demande["types"] = [nom for _name, nom in types.get(row.name, [])]
		if row.get("agent"):
			demande["agent"] = personne(row.agent)
		par_dossier.setdefault(row.beneficiaire, []).append(demande)
	return par_dossier


def noms_des_types(accompagnements: list[str]) -> dict[str, list[tuple[str, str]]]:
	"""(type name, type label) of each accompaniment (already permission-checked)."""
	if not accompagnements:
		return {}
	lignes = frappe.get_all(
		"Type Accompagnement Lien",
		filters={"parenttype": "Accompagnement", "parent": ("in", accompagnements)},
		fields=["parent", "type_accompagnement"],
		order_by="idx asc",
	)
	types = {
		t.name: t
		for t in frappe.get_all(
			"Type Accompagnement",
			filters={"name": ("in", list({row.type_accompagnement for row in lignes}) or [""])},
			fields=["name", "nom", "actif", "aide_financiere"],
		)
	}
	par_accompagnement: dict[str, list[tuple[str, str]]] = {}
	for row in lignes:
		if typ := types.get(row.type_accompagnement):
			par_accompagnement.setdefault(row.parent, []).append((typ.name, typ.nom))
	return par_accompagnement


def types_par_defaut(noms: list[str]) -> dict[str, dict]:
	"""The type a visit or a call is noted under by default: the one of the person's latest
	accompaniment, if it is still active and not a financial aid (a visit is not a new aid
	request). The agent may pick another one in the dialog. The latest 500 accompaniments of the
	page's files are read: a file could miss its default only behind hundreds of newer ones of
	another, and the dialog then asks for the type."""
	lignes = frappe.get_list(
		"Accompagnement",
		filters={"beneficiaire": ("in", noms), "statut": ("!=", "Annulé")},
		fields=["name", "beneficiaire"],
		order_by="date desc, creation desc",
		limit_page_length=500,
	)
	types = noms_des_types([row.name for row in lignes])
	utilisables = {
		t.name: t.nom
		for t in frappe.get_all(
			"Type Accompagnement",
			filters={
				"name": ("in", list({n for v in types.values() for n, _nom in v}) or [""]),
				"actif": 1,
				"aide_financiere": 0,
			},
			fields=["name", "nom"],
		)
	}
	par_dossier: dict[str, dict] = {}
	for row in lignes:
		if row.beneficiaire in par_dossier:
			continue
		for name, nom in types.get(row.name, []):
			if name in utilisables:
				par_dossier[row.beneficiaire] = {"name": name, "nom": nom}
				break
	return par_dossier


# --- « Créer un dossier »: the new file pre-filled from what was typed --------------------------

DATE_SAISIE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$|^(\d{2})(\d{2})(\d{4})$")
TELEPHONE_SAISI = re.compile(r"^\+?[\d .\-()]{9,}$")


def proposition_de_dossier(texte: str) -> dict:
	"""Names, birth date and phone read from the query, for the new Bénéficiaire form. The form
	runs the usual duplicate check on save (Beneficiaire.validate_doublon)."""
	valeurs: dict[str, str] = {}
	reste = []
	texte = " ".join((texte or "").split())[:200]
	# A phone typed with spaces (06 12 34 56 78) is one value, not five words.
	for telephone in re.findall(r"(?:\+33|0)\s?[1-9](?:[\s.\-]?\d{2}){4}", texte):
		if "telephone" not in valeurs and (valeur := telephone_valide(telephone)):
			valeurs["telephone"] = valeur
			texte = texte.replace(telephone, " ")
	for mot in texte.split():
		if "date_naissance" not in valeurs and (date := date_saisie(mot)):
			valeurs["date_naissance"] = date
		elif "telephone" not in valeurs and TELEPHONE_SAISI.match(mot) and telephone_valide(mot):
			valeurs["telephone"] = telephone_valide(mot)
		elif re.search(r"[^\W\d_]", mot):
			reste.append(mot.strip(",;"))
	if reste:
		# A word in capitals is the name (« LEFEVRE Hélène », « Hélène LEFEVRE »); otherwise the
		# name comes first, as on every French form.
		nom = next((m for m in reste if m.isupper() and len(m) > 1), reste[0])
		valeurs["nom_usage"] = majuscule_initiale(nom)
		prenoms = [m for m in reste if m is not nom]
		if prenoms:
			valeurs["prenoms"] = " ".join(majuscule_initiale(p) for p in prenoms)
	return valeurs


def majuscule_initiale(mot: str) -> str:
	"""« LEFEVRE », « lefevre » → « Lefevre »; « jean-marc » → « Jean-Marc »; « McLeod » is kept."""
	return mot.title() if mot.isupper() or mot.islower() else mot


def date_saisie(mot: str) -> str | None:
	"""A birth date typed as 12/03/1952, 12031952 or 12/03/52, as YYYY-MM-DD (a two-digit year is
	in the past century when it would otherwise be in the future)."""
	m = DATE_SAISIE.match(mot)
	if not m:
		return None
	jour, mois, annee = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
	annee = int(annee)
	if annee < 100:
		annee += 2000 if 2000 + annee <= getdate().year else 1900
	try:
		date = datetime(annee, int(mois), int(jour)).date()
	except ValueError:
		return None
	return date.isoformat() if date <= getdate() else None


def telephone_valide(valeur: str) -> str | None:
	if len(chiffres(valeur)) < 9:
		return None
	try:
		return normaliser_telephone(valeur)
	except IdentiteInvalide:
		return None


# --- Actions ----------------------------------------------------------------------------------


def dossier_accessible(beneficiaire: str):
	"""The file, if the user may read it; the same French refusal whether it does not exist or
	belongs to another structure."""
	if beneficiaire and frappe.db.exists("Beneficiaire", beneficiaire):
		doc = frappe.get_doc("Beneficiaire", beneficiaire)
		if doc.has_permission("read"):
			return doc
	frappe.throw(
		_("Le dossier {0} n'existe pas ou ne vous est pas accessible.").format(
			escape_html(beneficiaire or "—")
		),
		DossierInaccessible,
		title=_("Dossier inaccessible"),
	)


def note_courte(note: str | None, libelle: str) -> str:
	note = (note or "").strip()
	if len(note) > LONGUEUR_NOTE:
		frappe.throw(
			_("{0} : {1} caractères au plus ({2} saisis).").format(libelle, LONGUEUR_NOTE, len(note)),
			title=_("Donnée invalide"),
		)
	return note


def type_a_utiliser(dossier, type_accompagnement: str | None) -> str:
	"""The type chosen in the dialog, or the file's default one (types_par_defaut)."""
	if not type_accompagnement:
		defaut = types_par_defaut([dossier.name]).get(dossier.name)
		if not defaut:
			frappe.throw(
				_("Type d'accompagnement : choisissez-en un (ce dossier n'en a encore aucun)."),
				title=_("Donnée invalide"),
			)
		return defaut["name"]
	# Exists, of the file's structure, active: checked by the Accompagnement itself on save.
	return type_accompagnement


@frappe.whitelist(methods=["POST"])
def noter_passage(
	beneficiaire: str, mode: str, note: str = "", type_accompagnement: str | None = None
) -> dict:
	"""« Noter un passage / un appel »: an Accompagnement « Terminé », now, by the current user, in
	mode « Accueil physique spontané » (mode="accueil") or « Entretien téléphonique »
	(mode="telephone"), with the note as its object."""
	dossier = dossier_accessible(beneficiaire)
	if mode not in MODES_PASSAGE:
		frappe.throw(
			_("Mode : « {0} » n'est pas possible ici (passage à l'accueil ou appel téléphonique).").format(
				escape_html(mode)
			),
			title=_("Donnée invalide"),
		)
	maintenant = now_datetime()
	accompagnement = frappe.get_doc(
		{
			"doctype": "Accompagnement",
			"beneficiaire": dossier.name,
			"types_accompagnement": [{"type_accompagnement": type_a_utiliser(dossier, type_accompagnement)}],
			"date": maintenant.date(),
			"heure": maintenant.strftime("%H:%M:00"),
			"mode": MODES_PASSAGE[mode],
			"statut": "Terminé",
			"agent": frappe.session.user,
			"objet": note_courte(note, _("Note")),
		}
	).insert()
	return {
		"name": accompagnement.name,
		"message": _("Passage noté pour {0}.").format(dossier.nom_complet)
		if mode == "accueil"
		else _("Appel noté pour {0}.").format(dossier.nom_complet),
	}


@frappe.whitelist(methods=["POST"])
def prendre_rendez_vous(
	beneficiaire: str,
	date: str,
	heure: str,
	agent: str,
	lieu: str | None = None,
	mode: str = "Accueil physique sur rendez-vous",
	type_accompagnement: str | None = None,
	note: str | None = None,
	duree: int | None = None,
) -> dict:
	"""« Prendre rendez-vous »: a planned Accompagnement, refused (ChevauchementRendezVous) if it
	overlaps another appointment of the agent; `duree` in minutes, one hour when empty
	(dossiers/rendez_vous.py DUREE_PAR_DEFAUT)."""
	dossier = dossier_accessible(beneficiaire)
	debut = moment(date, heure)
	if duree is not None and duree <= 0:
		frappe.throw(_("Durée : « {0} » minutes n'est pas une durée.").format(duree), RendezVousImpossible)
	if debut < now_datetime():
		frappe.throw(
			_("Date : un rendez-vous ne se prend pas dans le passé ({0} à {1}).").format(
				debut.strftime("%d/%m/%Y"), debut.strftime("%H:%M")
			),
			RendezVousImpossible,
		)
	if mode not in MODES_RENDEZ_VOUS:
		frappe.throw(
			_("Mode : « {0} » n'est pas un mode de rendez-vous ({1}).").format(
				escape_html(mode), ", ".join(MODES_RENDEZ_VOUS)
			),
			RendezVousImpossible,
		)
	if not agent or not frappe.db.get_value("User", agent, "enabled"):
		frappe.throw(
			_("Agent : « {0} » n'est pas un utilisateur actif.").format(escape_html(agent)),
			RendezVousImpossible,
		)
	# The overlap is refused by the Accompagnement itself (dossiers/rendez_vous.py, one rule for
	# every path). Two agents of the desk booking the same agent at once: the second waits here for
	# the first's commit, then its check sees the first appointment (a lock on the agent's User row,
	# held until the end of the request's transaction).
	frappe.db.get_value("User", agent, "name", for_update=True)
	accompagnement = frappe.get_doc(
		{
			"doctype": "Accompagnement",
			"beneficiaire": dossier.name,
			"types_accompagnement": [{"type_accompagnement": type_a_utiliser(dossier, type_accompagnement)}],
			"date": debut.date(),
			"heure": debut.strftime("%H:%M:00"),
			"duree": duree,
			"mode": mode,
			"lieu": (lieu or "").strip()[:140] or None,
			"statut": "Planifié",
			"rendez_vous": 1,
			"agent": agent,
			"objet": note_courte(note, _("Objet")),
		}
	).insert()
	return {
		"name": accompagnement.name,
		"message": _("Rendez-vous pris le {0} à {1} avec {2}.").format(
			debut.strftime("%d/%m/%Y"), debut.strftime("%H:%M"), frappe.utils.get_fullname(agent)
		),
	}


def moment(date: str, heure: str) -> datetime:
	"""A date (YYYY-MM-DD as the desk sends it, or DD/MM/YYYY) and a time (HH:MM[:SS]), or a French
	refusal naming what is wrong."""
	jour = None
	texte = (date or "").strip()
	for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
		try:
			jour = datetime.strptime(texte, format_).date()
			break
		except ValueError:
			continue
	if not jour:
		frappe.throw(
			_("Date : « {0} » n'est pas une date (jj/mm/aaaa).").format(escape_html(date)),
			RendezVousImpossible,
		)
	heures = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?", (heure or "").strip())
	if not heures or int(heures.group(1)) > 23 or int(heures.group(2)) > 59:
		frappe.throw(
			_("Heure : « {0} » n'est pas une heure (hh:mm).").format(escape_html(heure)), RendezVousImpossible
		)
	return datetime.combine(jour, time(int(heures.group(1)), int(heures.group(2))))


@frappe.whitelist(methods=["POST"])
def laisser_message(beneficiaire: str, message: str, destinataire: str | None = None) -> dict:
	"""« Laisser un message au référent »: a Rappel due today, assigned to the référent (the first
	one, or `destinataire` among them) — or to the colleague who covers them while they are absent
	(continuite/absences.py). A file without référent: the structure's Responsable receives it."""
	dossier = dossier_accessible(beneficiaire)
	message = note_courte(message, _("Message"))
	if not message:
		frappe.throw(_("Message : écrivez le message à transmettre."), title=_("Donnée invalide"))
	possibles = destinataires(dossier)
	if not possibles:
		frappe.throw(
			_(
				"Ce dossier n'a pas de référent et la structure {0} n'a pas de responsable : "
				"personne ne peut recevoir le message."
			).format(dossier.structure),
			title=_("Aucun destinataire"),
		)
	if destinataire and destinataire not in possibles:
		frappe.throw(
			_("Destinataire : « {0} » n'est pas référent de ce dossier.").format(escape_html(destinataire)),
			title=_("Donnée invalide"),
		)
	pour = destinataire or possibles[0]
	assigne = remplacant(pour, structure=dossier.structure)
	note = message
	if assigne != pour:
		note = (
			_("Pour {0} (absent·e), transmis à {1} qui le ou la remplace.").format(
				frappe.utils.get_fullname(pour), frappe.utils.get_fullname(assigne)
			)
			+ f"\n\n{message}"
		)
	rappel = frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": _("Message de l'accueil : {0}").format(dossier.nom_complet),
			# Due now: the référent sees when the message was left.
			"date_echeance": nowdate(),
			"heure_echeance": now_datetime().strftime("%H:%M:00"),
			"assigne_a": assigne,
			"statut": "À faire",
			"structure": dossier.structure,
			"beneficiaire": dossier.name,
			"nom_beneficiaire": dossier.nom_complet,
			"note": note,
		}
	).insert()
	return {
		"name": rappel.name,
		"assigne_a": assigne,
		"message": _("Message laissé à {0}.").format(frappe.utils.get_fullname(assigne))
		if assigne == pour
		else _("Message laissé à {0}, qui remplace {1} (absent·e).").format(
			frappe.utils.get_fullname(assigne), frappe.utils.get_fullname(pour)
		),
	}


def destinataires(dossier) -> list[str]:
	"""Who a message about this file is for: its référents, or else the structure's Responsables."""
	referents = [row.user for row in dossier.get("referents") or [] if row.user]
	if referents:
		return referents
	return frappe.get_all(
		"Responsable Structure",
		filters={"parenttype": "Structure", "parent": dossier.structure},
		pluck="user",
		order_by="idx asc",
	)
