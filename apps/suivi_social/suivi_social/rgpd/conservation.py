"""Retention of social files: archive the inactive ones, then anonymise the long-archived ones.

Durations, per structure (Structure.duree_avant_archivage, duree_avant_anonymisation, in months):

- 24 months without contact → « Archivé ». The CNIL's référentiel « durées de conservation » for the
  social and medico-social sector (délibération n° 2023-095 du 14 septembre 2023) recommends, for
  social accompaniment files, an active base of 2 years from the last contact with the person.
- 36 more months in intermediate archive → anonymised, i.e. 5 years after the last contact. The same
  référentiel allows an intermediate archive only when justified (legal obligation, or evidence
  within the applicable limitation period); 5 years is the common civil limitation period (code
  civil, art. 2224). For a CCAS or CIAS (public bodies) the files are also public archives (code du
  patrimoine, art. L211-4): destroying them needs the approval (visa) of the competent archives
  service, and some files may have to be kept. These defaults are a starting point to be validated
  by the structure's DPO and archives service, not a legal opinion (README, « Conservation »).

« Last activity » of a file: the latest of its last contact (Beneficiaire.dernier_contact, the
summary kept by rafraichir_synthese: realised accompaniments), any non-cancelled accompaniment's
date — planned ones included, so a file with an appointment to come is active — and its decision,
commission and payment dates, any non-cancelled rappel's due date; the file's creation for a file
with none of these (a file just opened is not inactive). Read from
the accompaniments and rappels themselves, not only from the stored summary, so that a summary not
refreshed yet never archives an active file.

Nothing happens by itself until the structure ticks « conservation_automatique »: the Responsable
first reads the dry run (the « Conservation des dossiers » report), then runs it from there or lets
the daily job (hooks.py scheduler_events) do it each night.

Anonymisation keeps what the statistics count (statistiques/agregats.py: year of birth, genre,
commune, situation familiale, logement, resources' natures and amounts, typologies, dates, amounts,
agents) and clears every other field, custom fields included (a list of what is kept, not of what
is removed: a field added later is cleared without anyone remembering it). The exact birth date
becomes 1 January of the birth year: the yearly report counts ages on 31 December (agregats.tranche
at the period's last day), where the age is the difference of the years whatever the day, so its
brackets do not move (tests/rgpd/test_conservation.py computes it before and after). A report over
a period ending on another day may count such a person one year older: that is the price of not
keeping the day (a stored bracket would be right for one reference date only). Their copies outside
the rows go through rgpd/traces.purger_traces.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_months, cint, getdate

from suivi_social.permissions.structure import may_access
from suivi_social.roles import ADMINISTRATEUR, RESPONSABLE

ARCHIVE = "Archivé"
# Statuts of a file that the job may archive (an archived one is only anonymised later).
ARCHIVABLES = ("Actif", "Inactif", "Décédé")

DUREE_ARCHIVAGE = 24
DUREE_ANONYMISATION = 36
DUREE_MAXIMUM = 240

NOM_ANONYME = "Anonymisé"
PRENOM_ANONYME = "Dossier"

# What anonymisation keeps, per DocType; every other field is cleared (custom fields included).
CONSERVES = {
	"Beneficiaire": {
		"structure",
		"statut",
		"referents",
		"date_archivage",
		"date_anonymisation",
		"dernier_contact",
		"demandes_en_cours",
		"genre",
		"date_naissance",  # 1 January of the birth year (see the module's docstring)
		"date_deces",  # likewise
		"commune",
		"situation_familiale",
		"enfants_mineurs",
		"enfants_majeurs",
		"mode_hebergement",
		"categorie_socio_professionnelle",
		"mode_orientation",
		"ressources",
		"doublon_confirme",
	},
	"Ressource Beneficiaire": {"nature", "montant"},
	"Accompagnement": {
		"beneficiaire",
		"nom_beneficiaire",
		"structure",
		"types_accompagnement",
		"aide_financiere",
		"typologie_seule",  # the types, summed up for the statistics (Accompagnement.resumer_types)
		"plusieurs_typologies",
		"date",
		"heure",
		"duree",
		"mode",
		"rendez_vous",
		"issue_rendez_vous",
		"rappel_beneficiaire_envoye",
		"agent",
		"statut",
		"date_echeance",
		"decision",
		"date_commission",
		"date_decision",
		"instruction",
		"organisme_instructeur",
		"montant_demande",
		"montant_accorde",
		"mode_paiement",
		"date_paiement",
	},
	"Type Accompagnement Lien": {"type_accompagnement"},
	"Referent Beneficiaire": {"user"},
	"Rappel": {
		"titre",
		"date_echeance",
		"heure_echeance",
		"assigne_a",
		"statut",
		"priorite",
		"structure",
		"beneficiaire",
		"nom_beneficiaire",
		"accompagnement",
		"notifie_le",
	},
}
NUMERIQUES = {"Int", "Check", "Float", "Currency", "Percent", "Rating", "Duration"}
TABLES = {"Table", "Table MultiSelect"}
SANS_VALEUR = {"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Fold", "Heading", "Image"}
# Identity fields of the file whose values are looked for in copies that hold no reference
# (printed pages in the Access Log, SMS sent): traces.purger_traces(valeurs=…).
CHAMPS_RECHERCHES = ("nom_complet", "numero_securite_sociale", "telephone", "telephone_2", "email")


class ConservationRefusee(frappe.PermissionError):
	"""The user may not see or run the retention of this structure."""


class ApercuPerime(frappe.ValidationError):
	"""The run asked for no longer matches the dry run the user confirmed."""


# --- Durations and selection ---------------------------------------------------------------------


def durees(structure: str) -> tuple[int, int]:
	"""(months without contact before archiving, months archived before anonymising)."""
	valeurs = frappe.db.get_value(
		"Structure", structure, ["duree_avant_archivage", "duree_avant_anonymisation"], as_dict=True
	)
	if not valeurs:
		frappe.throw(_("Structure introuvable : {0}.").format(structure), frappe.DoesNotExistError)
	return (
		cint(valeurs.duree_avant_archivage) or DUREE_ARCHIVAGE,
		cint(valeurs.duree_avant_anonymisation) or DUREE_ANONYMISATION,
	)


def valider_durees(structure_doc) -> None:
	"""Structure.validate: whole months, from 1 to DUREE_MAXIMUM (an empty one takes the default)."""
	for champ, defaut in (
		("duree_avant_archivage", DUREE_ARCHIVAGE),
		("duree_avant_anonymisation", DUREE_ANONYMISATION),
	):
		valeur = structure_doc.get(champ)
		if valeur in (None, ""):
			structure_doc.set(champ, defaut)
		elif not 1 <= cint(valeur) <= DUREE_MAXIMUM:
			frappe.throw(
				_("{0} : indiquez un nombre de mois entre 1 et {1}.").format(
					_(structure_doc.meta.get_label(champ)), DUREE_MAXIMUM
				),
				frappe.ValidationError,
			)


def _activite() -> str:
	"""SQL of a file's last activity (`b` is tabBeneficiaire); see the module's docstring. The file's
	creation counts only for a file with no accompaniment or rappel: a file imported from a legacy
	workbook is created today with contacts of years ago."""
	return """coalesce(nullif(greatest(
		coalesce(b.dernier_contact, '1900-01-01'),
		coalesce((select max(greatest(a.date, coalesce(a.date_decision, a.date),
				coalesce(a.date_commission, a.date), coalesce(a.date_paiement, a.date)))
			from `tabAccompagnement` a where a.beneficiaire = b.name and a.statut != 'Annulé'), '1900-01-01'),
		coalesce((select max(r.date_echeance) from `tabRappel` r
			where r.beneficiaire = b.name and r.statut != 'Annulé'), '1900-01-01')
	), '1900-01-01'), date(b.creation))"""


def dossiers_a_archiver(structure: str, jour: date | None = None) -> list[frappe._dict]:
	"""Files of the structure with no activity for duree_avant_archivage months, not archived yet."""
	jour = getdate(jour)
	archivage, _anonymisation = durees(structure)
	limite = getdate(add_months(jour, -archivage))
	return frappe.db.sql(
		f"""select b.name, b.nom_complet, b.statut, b.dernier_contact, b.demandes_en_cours,
			{_activite()} as derniere_activite
		from `tabBeneficiaire` b
		where b.structure = %(structure)s and b.statut in %(statuts)s and b.date_anonymisation is null
		having derniere_activite < %(limite)s
		order by derniere_activite, b.name""",
		{"structure": structure, "statuts": ARCHIVABLES, "limite": limite},
		as_dict=True,
	)


def dossiers_a_anonymiser(structure: str, jour: date | None = None) -> list[frappe._dict]:
	"""Archived files of the structure, archived for duree_avant_anonymisation months with no
	activity since, not anonymised yet. A file archived by hand before its archive date was kept
	counts from its last change."""
	jour = getdate(jour)
	_archivage, anonymisation = durees(structure)
	limite = getdate(add_months(jour, -anonymisation))
	return frappe.db.sql(
		f"""select b.name, b.nom_complet, b.statut, b.dernier_contact, b.demandes_en_cours,
			coalesce(b.date_archivage, date(b.modified)) as archive_le,
			{_activite()} as derniere_activite
		from `tabBeneficiaire` b
		where b.structure = %(structure)s and b.statut = %(archive)s and b.date_anonymisation is null
		having archive_le <= %(limite)s and derniere_activite <= %(limite)s
		order by archive_le, b.name""",
		{"structure": structure, "archive": ARCHIVE, "limite": limite},
		as_dict=True,
	)


def apercu(structure: str, jour: date | None = None) -> frappe._dict:
	"""The dry run: what a run today would archive and anonymise. Writes nothing."""
	archivage, anonymisation = durees(structure)
	return frappe._dict(
		structure=structure,
		duree_avant_archivage=archivage,
		duree_avant_anonymisation=anonymisation,
		a_archiver=dossiers_a_archiver(structure, jour),
		a_anonymiser=dossiers_a_anonymiser(structure, jour),
	)


# --- Archiving and anonymising ---------------------------------------------------------------------


def archiver(nom: str, archivage: int, jour: date) -> None:
	"""Statut « Archivé » from `jour`. Written without the file's validation on purpose: a legacy
	file whose old values no longer pass today's rules (a phone, a NIR key) must still be archived
	on time; the timeline says who did it and why."""
	frappe.db.set_value("Beneficiaire", nom, {"statut": ARCHIVE, "date_archivage": jour})
	frappe.get_doc("Beneficiaire", nom).add_comment(
		"Info",
		_(
			"Dossier archivé automatiquement : aucun contact depuis {0} mois (conservation des données)."
		).format(archivage),
	)


def anonymiser(nom: str, jour: date | None = None) -> dict[str, int]:
	"""Clear the identity, contacts, free text and documents of this file and of its accompaniments,
	rappels and private reports, and their copies elsewhere; keep what the statistics count.
	Written with direct updates (no Version would then hold the removed values), so the yearly
	report's memory is invalidated here (statistiques/memoire.py). Returns traces.purger_traces'
	counts. Checks nothing: the caller did."""
	from suivi_social.rgpd.traces import purger_traces
	from suivi_social.statistiques import memoire

	jour = getdate(jour)
	dossier = frappe.get_doc("Beneficiaire", nom)
	valeurs = [dossier.get(champ) for champ in CHAMPS_RECHERCHES if dossier.get(champ)]
	# The phones also in E.164 form (« +33612345678 »), as an SMS gateway records them.
	valeurs += (dossier.telephones_recherche or "").split()
	valeurs += [ligne.telephone for ligne in dossier.get("entourage") or [] if ligne.telephone]
	accompagnements = frappe.get_all("Accompagnement", filters={"beneficiaire": nom}, pluck="name")
	rappels = frappe.get_all("Rappel", filters={"beneficiaire": nom}, pluck="name")
	comptes_rendus = (
		frappe.get_all(
			"Compte Rendu Prive", filters={"accompagnement": ("in", accompagnements)}, pluck="name"
		)
		if accompagnements
		else []
	)
	nom_complet = f"{NOM_ANONYME.upper()} {PRENOM_ANONYME}"

	_effacer("Beneficiaire", [nom])
	frappe.db.set_value(
		"Beneficiaire",
		nom,
		{
			"nom_usage": NOM_ANONYME,
			"prenoms": PRENOM_ANONYME,
			"nom_complet": nom_complet,
			"nom_recherche": "",
			"telephones_recherche": "",
			"date_naissance": _premier_janvier(dossier.date_naissance),
			"date_deces": _premier_janvier(dossier.date_deces),
			"doublon_confirme": 1,
			"date_anonymisation": jour,
		},
	)
	_effacer("Accompagnement", accompagnements)
	if accompagnements:
		frappe.db.set_value(
			"Accompagnement", {"name": ("in", accompagnements)}, "nom_beneficiaire", nom_complet
		)
	_effacer("Rappel", rappels)
	if rappels:
		frappe.db.set_value(
			"Rappel",
			{"name": ("in", rappels)},
			{"nom_beneficiaire": nom_complet, "titre": _("Rappel d'un dossier anonymisé")},
		)
	# A private report is free text only: nothing of it is kept.
	if comptes_rendus:
		frappe.db.delete("Compte Rendu Prive", {"name": ("in", comptes_rendus)})

	comptes = purger_traces(
		[
			("Beneficiaire", nom),
			*(("Accompagnement", n) for n in accompagnements),
			*(("Rappel", n) for n in rappels),
			*(("Compte Rendu Prive", n) for n in comptes_rendus),
		],
		valeurs=valeurs,
	)
	for doctype, noms in (("Beneficiaire", [nom]), ("Accompagnement", accompagnements), ("Rappel", rappels)):
		for n in noms:
			frappe.clear_document_cache(doctype, n)
	memoire.invalider_structure(dossier.structure)
	return comptes


def _premier_janvier(valeur) -> date | None:
	return date(getdate(valeur).year, 1, 1) if valeur else None


def _effacer(doctype: str, noms: list[str]) -> None:
	"""Clear every field of these records that CONSERVES does not name, and the same in their child
	tables (rows of a table not kept are deleted)."""
	if not noms:
		return
	meta = frappe.get_meta(doctype)
	conserves = CONSERVES.get(doctype, set())
	valeurs: dict = {"_comments": None, "_user_tags": None}
	for df in meta.fields:
		if df.get("is_virtual") or df.fieldtype in SANS_VALEUR or df.fieldname in conserves:
			if df.fieldtype in TABLES and df.fieldname in conserves:
				_effacer_lignes(df.options, noms, doctype, df.fieldname)
			continue
		if df.fieldtype in TABLES:
			frappe.db.delete(
				df.options, {"parent": ("in", noms), "parenttype": doctype, "parentfield": df.fieldname}
			)
		else:
			valeurs[df.fieldname] = 0 if df.fieldtype in NUMERIQUES else None
	frappe.db.set_value(doctype, {"name": ("in", noms)}, valeurs, update_modified=True)


def _effacer_lignes(enfant: str, parents: list[str], parenttype: str, parentfield: str) -> None:
	conserves = CONSERVES.get(enfant, set())
	valeurs = {
		df.fieldname: 0 if df.fieldtype in NUMERIQUES else None
		for df in frappe.get_meta(enfant).fields
		if not df.get("is_virtual")
		and df.fieldtype not in SANS_VALEUR
		and df.fieldtype not in TABLES
		and df.fieldname not in conserves
	}
	if valeurs:
		frappe.db.set_value(
			enfant,
			{"parent": ("in", parents), "parenttype": parenttype, "parentfield": parentfield},
			valeurs,
			update_modified=False,
		)


def appliquer(structure: str, jour: date | None = None) -> frappe._dict:
	"""Archive, then anonymise, the files of the dry run of this structure. Each file in its own
	savepoint: one that fails is reported and left as it was, the others go on. Does not commit."""
	jour = getdate(jour)
	archivage, _anonymisation = durees(structure)
	resultat = frappe._dict(structure=structure, archives=[], anonymises=[], erreurs=[])
	for dossier in dossiers_a_archiver(structure, jour):
		if _dans_un_point_de_sauvegarde(
			lambda n=dossier.name: archiver(n, archivage, jour), dossier.name, resultat
		):
			resultat.archives.append(dossier.name)
	for dossier in dossiers_a_anonymiser(structure, jour):
		if _dans_un_point_de_sauvegarde(lambda n=dossier.name: anonymiser(n, jour), dossier.name, resultat):
			resultat.anonymises.append(dossier.name)
	if resultat.archives or resultat.anonymises or resultat.erreurs:
		_journaliser(resultat)
	return resultat


def _dans_un_point_de_sauvegarde(action, nom: str, resultat) -> bool:
	point = f"conservation_{frappe.generate_hash(length=8)}"
	frappe.db.savepoint(point)
	try:
		action()
	except Exception:
		frappe.db.rollback(save_point=point)
		frappe.log_error(title=_("Conservation des données : échec sur le dossier {0}").format(nom))
		resultat.erreurs.append(nom)
		return False
	frappe.db.release_savepoint(point)
	return True


def _journaliser(resultat) -> None:
	"""The audit entry of a run, in the structure's timeline: file numbers only, no personal data."""
	lignes = [
		_("Conservation des données : {0} dossier(s) archivé(s), {1} anonymisé(s).").format(
			len(resultat.archives), len(resultat.anonymises)
		)
	]
	if resultat.archives:
		lignes.append(_("Archivés : {0}").format(", ".join(resultat.archives)))
	if resultat.anonymises:
		lignes.append(_("Anonymisés : {0}").format(", ".join(resultat.anonymises)))
	if resultat.erreurs:
		lignes.append(_("En échec (voir le journal des erreurs) : {0}").format(", ".join(resultat.erreurs)))
	frappe.get_doc("Structure", resultat.structure).add_comment(
		"Info", "<br>".join(frappe.utils.escape_html(ligne) for ligne in lignes)
	)


# --- The daily job (hooks.py scheduler_events) ----------------------------------------------------


def conservation_quotidienne() -> None:
	"""Each night, for every active structure that chose automatic retention; one commit each."""
	for structure in frappe.get_all(
		"Structure", filters={"conservation_automatique": 1, "actif": 1}, pluck="name", order_by="name"
	):
		try:
			appliquer(structure)
			frappe.db.commit()
		except Exception:
			frappe.db.rollback()
			frappe.log_error(
				title=_("Conservation des données : échec pour la structure {0}").format(structure)
			)


# --- For the Responsable ------------------------------------------------------------------------


def verifier_acces(structure: str, user: str | None = None) -> None:
	"""Structure first, then role: a Responsable of this structure, or the platform administrator.
	Roles read explicitly (frappe.only_for does nothing in tests)."""
	user = user or frappe.session.user
	if not structure or not frappe.db.exists("Structure", structure) or not may_access(structure, user):
		frappe.throw(_("Vous n'avez pas accès à cette structure."), ConservationRefusee)
	roles = set(frappe.get_roles(user))
	if not roles & {RESPONSABLE, ADMINISTRATEUR, "System Manager"}:
		frappe.throw(
			_(
				"Seuls le responsable de la structure et l'administrateur gèrent la conservation des dossiers."
			),
			ConservationRefusee,
		)


@frappe.whitelist(methods=["POST"])
def lancer_conservation(structure: str, a_archiver: int, a_anonymiser: int) -> dict:
	"""Run the retention of the structure now, as confirmed by the Responsable on the dry run:
	the numbers of files they saw must still be those of the dry run, or nothing is done."""
	verifier_acces(structure)
	maintenant = apercu(structure)
	if (len(maintenant.a_archiver), len(maintenant.a_anonymiser)) != (cint(a_archiver), cint(a_anonymiser)):
		frappe.throw(
			_(
				"Les dossiers concernés ont changé depuis l'aperçu ({0} à archiver, {1} à anonymiser "
				"maintenant) : actualisez le rapport et confirmez de nouveau."
			).format(len(maintenant.a_archiver), len(maintenant.a_anonymiser)),
			ApercuPerime,
		)
	resultat = appliquer(structure)
	return {
		"archives": len(resultat.archives),
		"anonymises": len(resultat.anonymises),
		"erreurs": len(resultat.erreurs),
	}
