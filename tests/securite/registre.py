"""The registry of the isolation sweep (test_balayage.py): what the site exposes, read from the site
itself, and how each piece of it is covered.

- Every whitelisted method is found by importing every module of the installed apps (Frappe fills
  `frappe.whitelisted` as its decorator runs), then looking up the dotted path by which
  `frappe.handler.execute_cmd` reaches it (or the controller class, for `run_doc_method`).
- Each of the app's methods is listed in METHODES_APP with the tests that cover it; each of Frappe's
  in methodes_frappe.txt under its family. A method missing from either fails the sweep: a new
  endpoint, or a Frappe upgrade, is reviewed before it ships.
- Every DocType that carries a `structure` or has a permission hook gets a row of structure B with
  a canary value (CANARIS), or a reason why not (SANS_CANARI).
- The methods of methodes_frappe.txt were read family by family against Frappe 15.44.2's source
  (second review: the ones that read or wrote any record unchecked are overridden in overrides.py);
  the sweep's existence probe (SONDE_EXISTENCE) holds the counts and « exists » answers the canary
  cannot see."""

import importlib
import inspect
import os
import re
from pathlib import Path

import frappe

TESTS = Path(__file__).resolve().parent.parent
FICHIER_FRAPPE = Path(__file__).with_name("methodes_frappe.txt")

# The generic probe of test_balayage.py: every method is called with the arguments it can guess.
SONDE = "tests/securite/test_balayage.py::test_aucune_donnee_de_b_pour_a"
SONDE_ACCUEIL = "tests/securite/test_balayage.py::test_aucun_champ_confidentiel_pour_l_accueil"
# Its existence probe: the same call about a record that exists nowhere answers the same.
SONDE_EXISTENCE = "tests/securite/test_balayage.py::test_ni_compte_ni_existence_de_b"
# Its private-report probe: a Travailleur social of A against a colleague's Compte Rendu Prive.
SONDE_PRIVE = "tests/securite/test_balayage.py::test_aucun_compte_rendu_prive_d_un_collegue"


# --- The site's whitelisted methods -------------------------------------------------------------

# Not imported: tests and patches are never reached by a request (Frappe's own UI-test endpoints
# are whitelisted only in developer mode, tests/ui_test_helpers.py), commands run from the shell.
MODULES_EXCLUS = re.compile(r"(^|\.)(_?tests?|patches|commands)(\.|_|$)|\.boilerplate\.")


def importer_les_modules(apps=("frappe", "suivi_social")) -> list[tuple[str, str]]:
	"""Import every Python module of the apps, as a request naming it would. Walks the files, not
	the packages: DocType folders are namespace packages (no __init__.py) that pkgutil skips."""
	echecs = []
	for app in apps:
		racine = Path(frappe.get_app_path(app))
		for chemin in sorted(racine.rglob("*.py")):
			relatif = chemin.relative_to(racine.parent).with_suffix("")
			parties = list(relatif.parts)
			if parties[-1] == "__init__":
				parties.pop()
			module = ".".join(parties)
			if MODULES_EXCLUS.search(module) or any("." in p or "-" in p for p in parties):
				continue
			try:
				importlib.import_module(module)
			except Exception as error:
				echecs.append((module, repr(error)))
	return echecs


def methodes_du_site() -> dict[str, object]:
	"""{dotted path: function} for every whitelisted function; controller methods as
	module.Class.method (reached through run_doc_method)."""
	import sys

	liste_blanche = set(frappe.whitelisted)
	trouvees: dict[object, str] = {}
	for nom_module, module in list(sys.modules.items()):
		if not nom_module.startswith(("frappe", "suivi_social")) or module is None:
			continue
		for attribut, valeur in list(vars(module).items()):
			if inspect.isclass(valeur) and valeur.__module__ == nom_module:
				for nom, membre in vars(valeur).items():
					fn = getattr(membre, "__func__", membre)
					if inspect.isfunction(fn) and fn in liste_blanche and fn not in trouvees:
						trouvees[fn] = f"{nom_module}.{valeur.__qualname__}.{nom}"
			elif inspect.isfunction(valeur) and valeur in liste_blanche:
				chemin = f"{nom_module}.{attribut}"
				# The path where it is defined wins over a module that imports it.
				if valeur not in trouvees or valeur.__module__ == nom_module:
					trouvees[valeur] = chemin
	# Whitelisted but reachable by no dotted path (defined in a closure that nothing exposes).
	for fn in liste_blanche - set(trouvees):
		trouvees[fn] = f"{fn.__module__}.{fn.__qualname__}"
	return {chemin: fn for fn, chemin in trouvees.items()}


def est_une_methode_de_controleur(chemin: str) -> bool:
	return chemin.split(".")[-2][:1].isupper()


def familles_frappe() -> dict[str, str]:
	"""{method: family} from methodes_frappe.txt (« # family » headers, one method per line)."""
	famille, resultat = None, {}
	for ligne in FICHIER_FRAPPE.read_text().splitlines():
		ligne = ligne.strip()
		if ligne.startswith("# "):
			famille = ligne[2:]
		elif ligne and not ligne.startswith("#"):
			resultat[ligne] = famille
	return resultat


def tests_existants(reference: str) -> bool:
	"""« tests/x/test_y.py::test_z » names a test function that exists."""
	fichier, _sep, nom = reference.partition("::")
	chemin = TESTS.parent / fichier
	return chemin.exists() and re.search(rf"^def {re.escape(nom)}\(", chemin.read_text(), re.M) is not None


# --- The app's methods and the tests that cover them ---------------------------------------------
# Every method is also called by the generic probe (SONDE), as a user of A and as the Agent
# d'accueil; the tests named here hold the method's own rules (its structure criterion, its roles).

METHODES_APP: dict[str, tuple[str, ...]] = {
	# Reception page (accueil/)
	"suivi_social.accueil.api.chercher": (
		"tests/accueil/test_accueil_api.py::test_l_accueil_voit_ou_en_est_le_dossier_sans_montant_ni_confidentiel",
		SONDE,
	),
	"suivi_social.accueil.api.noter_passage": (
		"tests/accueil/test_accueil_api.py::test_noter_un_passage_refuse_en_francais",
		"tests/accueil/test_accueil_api.py::test_http_passage_en_post",
	),
	"suivi_social.accueil.api.prendre_rendez_vous": (
		"tests/accueil/test_accueil_api.py::test_rendez_vous_avec_un_agent_d_une_autre_structure_refuse",
	),
	"suivi_social.accueil.api.laisser_message": (
		"tests/accueil/test_accueil_api.py::test_laisser_un_message_au_referent",
		SONDE,
	),
	"suivi_social.accueil.recherche.search_link_query": (
		"tests/accueil/test_recherche.py::test_les_champs_lien_utilisent_ce_moteur",
		SONDE,
	),
	# Rappels and appointments (dossiers/)
	"suivi_social.dossiers.rappels.filtres_de_mes_rappels": (
		"tests/rappels/test_rappels_notifient.py::test_par_http_chacun_ses_rappels_et_sa_structure",
	),
	"suivi_social.dossiers.rappels.mes_rappels_du_jour": (
		"tests/rappels/test_rappels_notifient.py::test_cartes_mes_rappels_par_utilisateur",
		SONDE,
	),
	"suivi_social.dossiers.rappels.mes_rappels_en_retard": (
		"tests/rappels/test_rappels_notifient.py::test_par_http_chacun_ses_rappels_et_sa_structure",
		SONDE,
	),
	"suivi_social.dossiers.rappels.mes_rappels_de_la_semaine": (
		"tests/rappels/test_rappels_notifient.py::test_cartes_mes_rappels_par_utilisateur",
		SONDE,
	),
	"suivi_social.dossiers.rappels.rappels_en_retard": (
		"tests/rappels/test_rappels_notifient.py::test_rappels_en_retard_de_la_structure_et_clic",
		SONDE,
	),
	"suivi_social.dossiers.rappels.rappel_propose": (
		"tests/rappels/test_rappels_notifient.py::test_pas_de_proposition_sur_l_accompagnement_d_une_autre_structure",
	),
	"suivi_social.dossiers.rendez_vous.evenements": (
		"tests/rendez_vous/test_calendrier.py::test_seul_le_calendrier_des_accompagnements",
		"tests/rendez_vous/test_calendrier.py::test_http_filtre_confidentiel_refuse",
		SONDE,
	),
	"suivi_social.dossiers.rendez_vous.deplacer": (
		"tests/rendez_vous/test_calendrier.py::test_http_deplacer_seulement_en_post_et_dans_sa_structure",
	),
	# Workspace figures (dossiers/tableau_de_bord.py): the number card and the chart sources.
	"suivi_social.dossiers.tableau_de_bord.aides_accordees_de_l_annee": (
		"tests/statistiques/test_tableau_de_bord.py::test_la_carte_des_aides_n_est_pas_celle_de_l_accueil",
		SONDE,
	),
	# Files and duplicates (api/)
	"suivi_social.api.beneficiaire.doublons_probables": (
		"tests/imports/test_fusion.py::test_doublon_a_la_creation_comme_a_l_import",
		"tests/securite/test_http.py::test_http_argument_manquant_message_francais",
	),
	"suivi_social.api.fusion.candidats": ("tests/imports/test_fusion.py::test_candidats_et_fusion", SONDE),
	"suivi_social.api.fusion.fusionner": ("tests/imports/test_fusion.py::test_qui_peut_fusionner",),
	"suivi_social.api.fusion.apercu": ("tests/imports/test_fusion.py::test_qui_peut_fusionner",),
	# Team (api/equipe.py)
	"suivi_social.api.equipe.inviter_collegue": (
		"tests/securite/test_equipe.py::test_pas_d_invitation_dans_une_autre_structure",
		"tests/securite/test_http.py::test_http_equipe_reservee_au_responsable",
	),
	"suivi_social.api.equipe.retirer_collegue": (
		"tests/securite/test_equipe.py::test_seul_le_responsable_gere_l_equipe",
		"tests/securite/test_outils_responsable.py::test_pas_d_utilisateur_hors_de_sa_structure",
	),
	"suivi_social.api.equipe.equipe": (
		"tests/securite/test_equipe.py::test_seul_le_responsable_gere_l_equipe",
		"tests/securite/test_equipe.py::test_la_liste_des_agents_d_un_formulaire_se_limite_a_la_structure",
	),
	# Continuity (continuite/)
	"suivi_social.continuite.reaffectation.apercu": (
		"tests/continuite/test_reaffectation.py::test_apercu_signale_un_collegue_refuse",
	),
	"suivi_social.continuite.reaffectation.reaffecter": (
		"tests/continuite/test_reaffectation.py::test_rien_ne_change_dans_une_autre_structure",
	),
	# Yearly report (statistiques/)
	"suivi_social.statistiques.rapport_annuel.parametres": (
		"tests/statistiques/test_rapport_annuel.py::test_http_reserve_aux_responsables_et_administrateurs",
		SONDE,
	),
	"suivi_social.statistiques.rapport_annuel.rapport_annuel": (
		"tests/statistiques/test_rapport_annuel.py::test_pdf_sans_montants_pour_l_administrateur",
		"tests/statistiques/test_rapport_annuel.py::test_http_reserve_aux_responsables_et_administrateurs",
	),
	"suivi_social.statistiques.rapport_annuel.telecharger_pdf": (
		"tests/statistiques/test_rapport_annuel.py::test_http_reserve_aux_responsables_et_administrateurs",
		"tests/statistiques/test_rapport_annuel.py::test_http_telechargements_journalises",
	),
	"suivi_social.statistiques.rapport_annuel.telecharger_excel": (
		"tests/statistiques/test_rapport_annuel.py::test_http_reserve_aux_responsables_et_administrateurs",
		"tests/statistiques/test_rapport_annuel.py::test_http_telechargements_journalises",
	),
	# The persons' rights (rgpd/droits.py)
	"suivi_social.rgpd.droits.exporter_dossier": (
		"tests/rgpd/test_droits.py::test_export_refuse_hors_structure",
		"tests/rgpd/test_droits.py::test_http_export_en_post_seulement",
		SONDE,
		SONDE_ACCUEIL,
	),
	"suivi_social.rgpd.droits.apercu_effacement": (
		"tests/rgpd/test_droits.py::test_apercu_effacement_reserve_au_responsable",
		SONDE,
	),
	"suivi_social.rgpd.droits.effacer_dossier": (
		"tests/rgpd/test_droits.py::test_effacement_refuse_hors_structure",
		"tests/rgpd/test_droits.py::test_http_effacement_en_post_seulement",
		SONDE,
	),
	# Legacy import (imports/)
	"suivi_social.imports.api.cibles": ("tests/imports/test_import_classeur.py::test_api_du_bureau", SONDE),
	"suivi_social.imports.api.preparer": ("tests/imports/test_import_classeur.py::test_api_du_bureau",),
	"suivi_social.imports.api.essai": ("tests/imports/test_import_classeur.py::test_api_du_bureau",),
	"suivi_social.imports.api.rapport": ("tests/imports/test_bureau.py::test_synthese_du_rapport",),
	"suivi_social.imports.api.lancer": ("tests/imports/test_import_classeur.py::test_api_du_bureau",),
	"suivi_social.imports.api.lignes": ("tests/imports/test_import_classeur.py::test_api_du_bureau",),
	"suivi_social.imports.api.referents": ("tests/imports/test_bureau.py::test_table_des_referents",),
	# Overrides of Frappe's leaking methods (overrides.py), also reachable under their own path.
	"suivi_social.overrides.get_count": (
		"tests/securite/test_isolation_structures.py::test_les_comptes_ne_fuient_pas",
		SONDE,
	),
	"suivi_social.overrides.get_link_title": (
		"tests/securite/test_isolation_structures.py::test_titre_de_lien_d_une_autre_structure",
		SONDE,
	),
	"suivi_social.overrides.getdoc": (
		"tests/securite/test_accueil_confidentiel.py::test_formulaire_et_api_masquent_les_champs",
		SONDE,
		SONDE_ACCUEIL,
	),
	"suivi_social.overrides.get_docinfo": (SONDE, SONDE_ACCUEIL),
	"suivi_social.overrides.get_group_by_count": (
		"tests/securite/test_isolation_structures.py::test_le_compteur_assigne_a_ne_compte_que_les_dossiers_visibles",
		"tests/securite/test_tri_et_tableaux_confidentiels.py::test_barre_laterale_pas_de_compte_par_montant",
		SONDE,
	),
	# Exports (exports.py)
	"suivi_social.exports.export_query": (
		"tests/securite/test_journal_exports.py::test_l_export_du_report_builder_est_journalise",
		"tests/securite/test_autres_voies.py::test_export_du_report_builder_limite_a_la_structure",
	),
	"suivi_social.exports.make_access_log": (
		"tests/securite/test_journal_exports.py::test_les_voies_d_export_sont_surchargees",
	),
	"suivi_social.exports.download_template": (
		"tests/securite/test_journal_exports.py::test_le_modele_d_import_avec_donnees_journalise_et_sans_champ_confidentiel",
		"tests/securite/test_journal_exports.py::test_le_modele_avec_donnees_refuse_sans_droit_d_export",
	),
	"suivi_social.exports.export_data": (
		"tests/securite/test_journal_exports.py::test_l_outil_d_export_de_donnees_reserve_a_l_administrateur",
	),
	# The manager's no-code tools (personnalisation/)
	"suivi_social.personnalisation.api.get_row_size_utilization": (SONDE,),
	"suivi_social.personnalisation.formulaire.PersonnaliserFormulaire.fetch_to_customize": (
		"tests/securite/test_outils_responsable.py::test_pas_de_personnalisation_des_doctypes_du_coeur",
		"tests/securite/test_outils_responsable.py::test_http_personnaliser_le_formulaire",
	),
	"suivi_social.personnalisation.formulaire.PersonnaliserFormulaire.save_customization": (
		"tests/securite/test_outils_responsable.py::test_pas_de_personnalisation_des_doctypes_du_coeur",
	),
	"suivi_social.personnalisation.formulaire.PersonnaliserFormulaire.reset_to_defaults": (
		"tests/securite/test_outils_responsable.py::test_rendre_confidentiel_oui_revenir_en_arriere_non",
	),
	"suivi_social.personnalisation.formulaire.PersonnaliserFormulaire.reset_layout": (
		"tests/securite/test_outils_responsable.py::test_personnaliser_le_formulaire_reserve_le_nom_et_les_actions",
	),
	"suivi_social.personnalisation.formulaire.PersonnaliserFormulaire.trim_table": (
		"tests/securite/test_outils_responsable.py::test_personnaliser_le_formulaire_reserve_le_nom_et_les_actions",
	),
	# Writes of frappe.client, overridden to hand back the saved document masked (frappe_fixes fix 8).
	**{
		f"suivi_social.overrides.{m}": (
			"tests/securite/test_ecritures_masquees.py::test_set_value_du_client",
			"tests/securite/test_ecritures_masquees.py::test_enregistrer_le_formulaire",
			SONDE_ACCUEIL,
		)
		for m in ("set_value", "insert", "save", "submit", "cancel")
	},
	"suivi_social.overrides.get_default_address": (
		"tests/securite/test_carnet_d_adresses.py::test_adresse_par_defaut_d_un_dossier_d_une_autre_structure",
		SONDE,
	),
	# Frappe methods that read or wrote any record unchecked (overrides.py, second review of the sweep).
	"suivi_social.overrides.get_workflow_state_count": (
		"tests/securite/test_methodes_sans_controle.py::test_compteur_d_etats_limite_a_la_structure",
		SONDE,
	),
	"suivi_social.overrides.validate_link": (
		"tests/securite/test_methodes_sans_controle.py::test_validate_link_ne_dit_pas_qu_un_dossier_de_b_existe",
		SONDE_EXISTENCE,
	),
	"suivi_social.overrides.get_follow_users": (
		"tests/securite/test_methodes_sans_controle.py::test_ni_abonnes_ni_mention_j_aime_sur_un_dossier_de_b",
		SONDE_EXISTENCE,
	),
	**{
		f"suivi_social.overrides.{m}": (
			"tests/securite/test_methodes_sans_controle.py::test_ni_abonnes_ni_mention_j_aime_sur_un_dossier_de_b",
			SONDE_EXISTENCE,
		)
		for m in ("follow_document", "unfollow_document")
	},
	"suivi_social.overrides.toggle_like": (
		"tests/securite/test_methodes_sans_controle.py::test_ni_abonnes_ni_mention_j_aime_sur_un_dossier_de_b",
	),
	"suivi_social.overrides.relink": (
		"tests/securite/test_methodes_sans_controle.py::test_pas_de_rattachement_d_un_courriel_de_b",
	),
	"suivi_social.overrides.get_events": (
		"tests/securite/test_methodes_sans_controle.py::test_evenements_prives_d_un_autre_agent",
		SONDE,
	),
	"suivi_social.overrides.get_tagged_docs": (
		"tests/securite/test_etiquettes.py::test_les_etiquettes_d_une_autre_structure_invisibles",
		SONDE,
	),
	**{
		f"suivi_social.overrides.{m}": (
			"tests/securite/test_etiquettes.py::test_pas_d_etiquette_sur_le_dossier_d_une_autre_structure",
		)
		for m in ("add_tag", "add_tags", "remove_tag")
	},
	# Link query of the agents of a structure (api/equipe.py)
	"suivi_social.api.equipe.agents_query": (
		"tests/securite/test_equipe.py::test_la_liste_des_agents_d_un_formulaire_se_limite_a_la_structure",
	),
	# Attachments, downloads and printing (permissions/pieces_jointes.py, telechargements.py)
	"suivi_social.permissions.pieces_jointes.zip_files": (
		"tests/securite/test_pieces_jointes.py::test_zip_sans_les_pieces_confidentielles",
	),
	"suivi_social.telechargements.download_file": (
		"tests/securite/test_tracabilite.py::test_telechargement_d_un_document_journalise",
		SONDE,
	),
	"suivi_social.telechargements.download_pdf": (
		"tests/securite/test_tracabilite.py::test_pdf_weasyprint_journalise_et_sans_champ_confidentiel",
		SONDE,
	),
	# Retention (rgpd/)
	"suivi_social.rgpd.conservation.lancer_conservation": (
		"tests/rgpd/test_conservation.py::test_lancement_refuse_aux_autres",
	),
	"suivi_social.structures.doctype.structure.structure.Structure.importer_catalogue": (
		"tests/dossiers/test_typologies.py::test_catalogue_installe_et_copie",
		SONDE,
	),
}

# The dashboard chart sources: one `get` per source module (dossiers/dashboard_chart_source/),
# all built by tableau_de_bord.source_de_graphique and tested source by source.
SOURCES_DE_GRAPHIQUE = (
	"tests/statistiques/test_tableau_de_bord.py::test_chiffres_du_responsable",
	SONDE,
)


def tests_de_la_methode_app(chemin: str) -> tuple[str, ...] | None:
	if chemin.startswith("suivi_social.dossiers.dashboard_chart_source.") and chemin.endswith(".get"):
		return SOURCES_DE_GRAPHIQUE
	return METHODES_APP.get(chemin)


# --- Methods the probe does not call, or cannot fill ----------------------------------------------

# Not called at all: calling them in the test process would end its session or change the site
# for every user; none returns a record.
NON_APPELEES: dict[str, str] = {
	"frappe.handler.logout": "ferme la session de l'appelant ; ne lit aucun document",
	"frappe.handler.web_logout": "ferme la session de l'appelant ; ne lit aucun document",
	"frappe.sessions.clear": "vide les caches de session de l'appelant ; ne lit aucun document",
}

# Methods whose required arguments the probe cannot guess (a JSON document, a key, a password…):
# why they are safe for a user of A, or the test that covers them.
# Shared reasons, each checked against the method's code when it was registered (Frappe 15.44.2).
ECRITURE = (
	"écriture d'un document reçu en entier ou d'une action sur un document nommé : Document.insert/save/"
	"delete vérifie le droit et la structure (permissions/structure.garde_structure) —"
	" tests/securite/test_isolation_structures.py::test_pas_de_creation_dans_une_autre_structure"
)
LECTURE_GET_LIST = (
	"lecture par frappe.get_list ou après frappe.has_permission : mêmes règles que les listes,"
	" balayées par frappe.client.get_list et reportview.get"
)
IMPRESSION = (
	"impression ou export d'un HTML ou d'un document fourni par l'appelant, ou d'un document vérifié par"
	" has_permission('print') — tests/securite/test_pdf.py"
)
FICHIERS = (
	"gestion des dossiers de fichiers : File vérifié par son crochet (permissions/fichiers.py) —"
	" tests/securite/test_fichiers.py"
)
CONNEXION = "connexion, OAuth, mot de passe ou inscription : authentifie l'appelant, ne lit aucun dossier"
UTILISATEUR = (
	"agit sur l'appelant ou ses propres réglages (thème, profil, notifications lues, préférences) ;"
	" ne lit aucun dossier"
)
SITE_WEB = "site web, portail ou forum de Frappe : non utilisés par l'application (aucune page publique)"
COURRIEL = (
	"boîte de réception, file d'envoi ou SMS : aucun compte entrant ; droits du DocType (System Manager) ;"
	" les envois de l'application passent par personnalisation/notification.py"
)
CONFIG_BUREAU = (
	"configuration du bureau (espace de travail, kanban, tableau de bord, icônes, tours guidés) :"
	" définitions sans donnée de dossier, droits du DocType vérifiés"
)
CONTACTS = (
	"carnet d'adresses de Frappe : requêtes de lien par frappe.get_list, détails d'un contact après"
	" has_permission ; l'adresse par défaut est surchargée —"
	" tests/securite/test_carnet_d_adresses.py::test_adresse_par_defaut_d_un_dossier_d_une_autre_structure"
)
SOCIAL = "points d'énergie : désactivés, sans donnée de dossier"
ADMIN = (
	"outil d'administration (DocType, rôles, permissions, import, journaux, réglages) : réservé par la"
	" méthode ou par les droits du DocType au System Manager ou à l'Administrator, rôles qu'aucun agent n'a"
)
VERSIONS = (
	"historique des versions : lu par frappe.get_list sur Version, fermé aux rôles de l'application —"
	" tests/securite/test_tracabilite.py::test_la_liste_des_versions_fermee_aux_roles_de_l_application"
)
CARTES = (
	"carte chiffrée calculée par frappe.get_list pour le lecteur, agrégats confidentiels refusés —"
	" tests/statistiques/test_tableau_de_bord.py::test_la_carte_des_aides_n_est_pas_celle_de_l_accueil"
)
RAPPORTS = (
	"enregistrement d'un rapport : gardé dans la structure de son auteur (permissions/rapports.py) —"
	" tests/securite/test_outils_responsable.py::test_le_responsable_enregistre_un_rapport"
)


ARGUMENTS_INCONNUS: dict[str, str] = {
	"suivi_social.personnalisation.api.doctypes_personnalisables": (
		"requête de lien de Customize Form, appelée par search_widget avec des filtres déjà décodés : ne"
		" renvoie que des noms de DocTypes de l'application, aucune donnée de dossier"
	),
	"frappe.apps.set_app_as_default": UTILISATEUR,
	"frappe.automation.doctype.auto_repeat.auto_repeat.generate_message_preview": ADMIN,
	"frappe.automation.doctype.auto_repeat.auto_repeat.get_auto_repeat_doctypes": ADMIN,
	"frappe.automation.doctype.auto_repeat.auto_repeat.update_reference": ADMIN,
	"frappe.automation.doctype.reminder.reminder.create_new_reminder": ECRITURE,
	"frappe.client.bulk_update": ECRITURE,
	"frappe.client.get_js": LECTURE_GET_LIST,
	"frappe.client.rename_doc": ECRITURE,
	"frappe.contacts.address_and_contact.filter_dynamic_link_doctypes": CONTACTS,
	"frappe.contacts.doctype.address.address.address_query": CONTACTS,
	"frappe.contacts.doctype.address.address.get_address_display": CONTACTS,
	"frappe.contacts.doctype.contact.contact.address_query": CONTACTS,
	"frappe.contacts.doctype.contact.contact.contact_query": CONTACTS,
	"frappe.contacts.doctype.contact.contact.get_contact_details": CONTACTS,
	"frappe.contacts.doctype.contact.contact.invite_user": COURRIEL,
	"frappe.core.api.file.create_new_folder": FICHIERS,
	"frappe.core.api.file.get_files_in_folder": FICHIERS,
	"frappe.core.api.file.move_file": FICHIERS,
	"frappe.core.api.file.unzip_file": FICHIERS,
	"frappe.core.api.file.zip_files": "surchargée par l'application (suivi_social.permissions.pieces_jointes.zip_files) — tests/securite/test_pieces_jointes.py::test_zip_sans_les_pieces_confidentielles",
	"frappe.core.doctype.data_import.data_import.download_errored_template": ADMIN,
	"frappe.core.doctype.data_import.data_import.download_import_log": ADMIN,
	"frappe.core.doctype.data_import.data_import.form_start_import": ADMIN,
	"frappe.core.doctype.data_import.data_import.get_import_logs": ADMIN,
	"frappe.core.doctype.data_import.data_import.get_import_status": ADMIN,
	"frappe.core.doctype.data_import.data_import.get_preview_from_template": ADMIN,
	"frappe.core.doctype.deleted_document.deleted_document.bulk_restore": ADMIN,
	"frappe.core.doctype.deleted_document.deleted_document.restore": ADMIN,
	"frappe.core.doctype.installed_applications.installed_applications.update_installed_apps_order": ADMIN,
	"frappe.core.doctype.log_settings.log_settings.get_log_doctypes": ADMIN,
	"frappe.core.doctype.package.package.get_license_text": ADMIN,
	"frappe.core.doctype.prepared_report.prepared_report.delete_prepared_reports": ADMIN,
	"frappe.core.doctype.prepared_report.prepared_report.download_attachment": ADMIN,
	"frappe.core.doctype.prepared_report.prepared_report.get_reports_in_queued_state": ADMIN,
	"frappe.core.doctype.recorder.recorder.add_indexes": ADMIN,
	"frappe.core.doctype.recorder.recorder.optimize": ADMIN,
	"frappe.core.doctype.role.role.role_query": ADMIN,
	"frappe.core.doctype.rq_job.rq_job.stop_job": ADMIN,
	"frappe.core.doctype.session_default_settings.session_default_settings.set_session_default_values": UTILISATEUR,
	"frappe.core.doctype.sms_settings.sms_settings.get_contact_number": COURRIEL,
	"frappe.core.doctype.sms_settings.sms_settings.send_sms": COURRIEL,
	"frappe.core.doctype.user.user.get_module_profile": UTILISATEUR,
	"frappe.core.doctype.user.user.get_perm_info": UTILISATEUR,
	"frappe.core.doctype.user.user.get_role_profile": UTILISATEUR,
	"frappe.core.doctype.user.user.has_email_account": UTILISATEUR,
	"frappe.core.doctype.user.user.impersonate": CONNEXION,
	"frappe.core.doctype.user.user.sign_up": CONNEXION,
	"frappe.core.doctype.user.user.switch_theme": UTILISATEUR,
	"frappe.core.doctype.user.user.test_password_strength": CONNEXION,
	"frappe.core.doctype.user.user.update_password": CONNEXION,
	"frappe.core.doctype.user.user.user_query": UTILISATEUR,
	"frappe.core.doctype.user.user.verify_password": CONNEXION,
	"frappe.core.doctype.user_permission.user_permission.add_user_permissions": ADMIN,
	"frappe.core.doctype.user_permission.user_permission.clear_user_permissions": ADMIN,
	"frappe.core.doctype.user_permission.user_permission.get_applicable_for_doctype_list": ADMIN,
	"frappe.core.doctype.user_type.user_type.get_user_id": ADMIN,
	"frappe.core.doctype.user_type.user_type.get_user_linked_doctypes": ADMIN,
	"frappe.core.page.permission_manager.permission_manager.add": ADMIN,
	"frappe.core.page.permission_manager.permission_manager.get_users_with_role": ADMIN,
	"frappe.core.page.permission_manager.permission_manager.remove": ADMIN,
	"frappe.core.page.permission_manager.permission_manager.update": ADMIN,
	"frappe.core.report.database_storage_usage_by_tables.database_storage_usage_by_tables.optimize_doctype": ADMIN,
	"frappe.core.report.permitted_documents_for_user.permitted_documents_for_user.query_doctypes": ADMIN,
	"frappe.custom.doctype.custom_field.custom_field.rename_fieldname": ADMIN,
	"frappe.desk.calendar.update_event": ECRITURE,
	"frappe.desk.desk_page.get": CONFIG_BUREAU,
	"frappe.desk.desktop.get_desktop_page": CONFIG_BUREAU,
	"frappe.desk.desktop.update_onboarding_step": UTILISATEUR,
	"frappe.desk.doctype.custom_html_block.custom_html_block.get_custom_blocks_for_user": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard.dashboard.get_permitted_cards": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard.dashboard.get_permitted_charts": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.add_chart_to_dashboard": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.create_dashboard_chart": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.create_report_chart": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get_charts_for_user": LECTURE_GET_LIST,
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get_parent_doctypes": LECTURE_GET_LIST,
	"frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source.get_config": CONFIG_BUREAU,
	"frappe.desk.doctype.dashboard_settings.dashboard_settings.save_chart_config": CONFIG_BUREAU,
	"frappe.desk.doctype.desktop_icon.desktop_icon.add_user_icon": UTILISATEUR,
	"frappe.desk.doctype.desktop_icon.desktop_icon.hide": UTILISATEUR,
	"frappe.desk.doctype.desktop_icon.desktop_icon.set_order": UTILISATEUR,
	"frappe.desk.doctype.desktop_icon.desktop_icon.update_icons": UTILISATEUR,
	"frappe.desk.doctype.event.event.delete_communication": ADMIN,
	"frappe.desk.doctype.form_tour.form_tour.reset_tour": UTILISATEUR,
	"frappe.desk.doctype.form_tour.form_tour.update_user_status": UTILISATEUR,
	"frappe.desk.doctype.kanban_board.kanban_board.add_card": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.add_column": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.archive_restore_column": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.quick_kanban_board": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.save_settings": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.set_indicator": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.update_column_order": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.update_order": CONFIG_BUREAU,
	"frappe.desk.doctype.kanban_board.kanban_board.update_order_for_single_card": CONFIG_BUREAU,
	"frappe.desk.doctype.list_view_settings.list_view_settings.save_listview_settings": UTILISATEUR,
	"frappe.desk.doctype.note.note.mark_as_seen": UTILISATEUR,
	"frappe.desk.doctype.notification_log.notification_log.mark_as_read": UTILISATEUR,
	"frappe.desk.doctype.notification_settings.notification_settings.set_seen_value": UTILISATEUR,
	"frappe.desk.doctype.number_card.number_card.add_card_to_dashboard": CONFIG_BUREAU,
	"frappe.desk.doctype.number_card.number_card.create_number_card": CONFIG_BUREAU,
	"frappe.desk.doctype.number_card.number_card.create_report_number_card": CONFIG_BUREAU,
	"frappe.desk.doctype.number_card.number_card.get_cards_for_user": CONFIG_BUREAU,
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": CARTES,
	"frappe.desk.doctype.number_card.number_card.get_result": CARTES,
	"frappe.desk.doctype.onboarding_step.onboarding_step.get_onboarding_steps": CONFIG_BUREAU,
	"frappe.desk.doctype.route_history.route_history.deferred_insert": UTILISATEUR,
	"frappe.desk.doctype.todo.todo.new_todo": ECRITURE,
	"frappe.desk.doctype.workspace.workspace.delete_page": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.duplicate_page": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.hide_page": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.new_page": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.save_page": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.sort_pages": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.unhide_page": CONFIG_BUREAU,
	"frappe.desk.doctype.workspace.workspace.update_page": CONFIG_BUREAU,
	"frappe.desk.form.assign_to.close": ECRITURE,
	"frappe.desk.form.assign_to.remove": ECRITURE,
	"frappe.desk.form.document_follow.update_follow": ECRITURE,
	"frappe.desk.form.linked_with.cancel_all_linked_docs": ECRITURE,
	"frappe.desk.form.load.get_user_info_for_viewers": LECTURE_GET_LIST,
	"frappe.desk.form.save.savedocs": ECRITURE,
	"frappe.desk.form.utils.add_comment": ECRITURE,
	"frappe.desk.form.utils.get_next": LECTURE_GET_LIST,
	"frappe.desk.form.utils.update_comment": ECRITURE,
	"frappe.desk.gantt.update_task": ECRITURE,
	"frappe.desk.leaderboard.get_energy_point_leaderboard": SOCIAL,
	"frappe.desk.listview.set_list_settings": LECTURE_GET_LIST,
	"frappe.desk.page.backups.backups.schedule_files_backup": ADMIN,
	"frappe.desk.page.setup_wizard.setup_wizard.load_messages": ADMIN,
	"frappe.desk.page.setup_wizard.setup_wizard.setup_complete": ADMIN,
	"frappe.desk.page.user_profile.user_profile.get_energy_points_heatmap_data": UTILISATEUR,
	"frappe.desk.page.user_profile.user_profile.get_energy_points_list": UTILISATEUR,
	"frappe.desk.page.user_profile.user_profile.update_profile_info": UTILISATEUR,
	"frappe.desk.query_report.export_query": "surchargée par suivi_social.exports.export_query (journalisée, structure et niveau confidentiel appliqués) — tests/securite/test_journal_exports.py::test_l_export_d_un_rapport_script_est_journalise",
	"frappe.desk.query_report.save_report": RAPPORTS,
	"frappe.desk.reportview.delete_report": RAPPORTS,
	"frappe.desk.reportview.save_report": RAPPORTS,
	"frappe.desk.treeview.get_all_nodes": LECTURE_GET_LIST,
	"frappe.email.doctype.auto_email_report.auto_email_report.download": COURRIEL,
	"frappe.email.doctype.auto_email_report.auto_email_report.send_now": COURRIEL,
	"frappe.email.doctype.email_account.email_account.set_email_password": COURRIEL,
	"frappe.email.doctype.email_group.email_group.add_subscribers": COURRIEL,
	"frappe.email.doctype.email_queue.email_queue.bulk_retry": COURRIEL,
	"frappe.email.doctype.email_queue.email_queue.send_now": COURRIEL,
	"frappe.email.doctype.email_queue.email_queue.toggle_sending": COURRIEL,
	"frappe.email.doctype.email_template.email_template.get_email_template": COURRIEL,
	"frappe.email.doctype.newsletter.newsletter.confirm_subscription": CONNEXION,
	"frappe.email.doctype.newsletter.newsletter.subscribe": CONNEXION,
	"frappe.email.doctype.notification.notification.get_documents_for_today": COURRIEL,
	"frappe.email.email_body.get_email_html": COURRIEL,
	"frappe.email.get_communication_doctype": COURRIEL,
	"frappe.email.inbox.create_email_flag_queue": COURRIEL,
	"frappe.email.inbox.mark_as_closed_open": COURRIEL,
	"frappe.email.inbox.mark_as_spam": COURRIEL,
	"frappe.email.inbox.mark_as_trash": COURRIEL,
	"frappe.email.inbox.move_email": COURRIEL,
	"frappe.email.queue.unsubscribe": CONNEXION,
	"frappe.geo.utils.get_coords": UTILISATEUR,
	"frappe.integrations.doctype.connected_app.connected_app.has_token": CONNEXION,
	"frappe.integrations.doctype.google_calendar.google_calendar.authorize_access": CONNEXION,
	"frappe.integrations.doctype.google_contacts.google_contacts.authorize_access": CONNEXION,
	"frappe.integrations.doctype.ldap_settings.ldap_settings.reset_password": CONNEXION,
	"frappe.integrations.google_oauth.callback": CONNEXION,
	"frappe.integrations.oauth2_logins.custom": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_facebook": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_fairlogin": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_frappe": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_github": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_google": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_keycloak": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_office365": CONNEXION,
	"frappe.integrations.oauth2_logins.login_via_salesforce": CONNEXION,
	"frappe.model.mapper.make_mapped_doc": ECRITURE,
	"frappe.model.mapper.map_docs": ECRITURE,
	"frappe.model.utils.user_settings.save": UTILISATEUR,
	"frappe.model.workflow.apply_workflow": ECRITURE,
	"frappe.model.workflow.bulk_workflow_approval": ECRITURE,
	"frappe.model.workflow.get_common_transition_actions": ECRITURE,
	"frappe.modules.utils.export_customizations": ADMIN,
	"frappe.printing.doctype.print_format.print_format.make_default": IMPRESSION,
	"frappe.push_notification.subscribe": CONNEXION,
	"frappe.push_notification.unsubscribe": CONNEXION,
	"frappe.recorder.import_data": ADMIN,
	"frappe.rename_doc": ECRITURE,
	"frappe.share.set_permission": ADMIN,
	"frappe.social.doctype.energy_point_log.energy_point_log.add_review_points": SOCIAL,
	"frappe.social.doctype.energy_point_log.energy_point_log.review": SOCIAL,
	"frappe.templates.includes.comments.comments.add_comment": ECRITURE,
	"frappe.templates.includes.likes.likes.like": ECRITURE,
	"frappe.translate.get_translations": UTILISATEUR,
	"frappe.utils.csvutils.send_csv_to_client": IMPRESSION,
	"frappe.utils.diff.get_version_diff": VERSIONS,
	"frappe.utils.diff.version_query": VERSIONS,
	"frappe.utils.file_manager.add_attachments": FICHIERS,
	"frappe.utils.goal.get_monthly_goal_graph_data": LECTURE_GET_LIST,
	"frappe.utils.print_format.print_by_server": IMPRESSION,
	"frappe.utils.print_format.report_to_pdf": IMPRESSION,
	"frappe.utils.weasyprint.download_pdf": IMPRESSION,
	"frappe.website.doctype.discussion_reply.discussion_reply.delete_message": SITE_WEB,
	"frappe.website.doctype.discussion_topic.discussion_topic.submit_discussion": SITE_WEB,
	"frappe.website.doctype.help_article.help_article.add_feedback": SITE_WEB,
	"frappe.website.doctype.personal_data_deletion_request.personal_data_deletion_request.confirm_deletion": SITE_WEB,
	"frappe.website.doctype.web_form.web_form.accept": SITE_WEB,
	"frappe.website.doctype.web_form.web_form.delete": SITE_WEB,
	"frappe.website.doctype.web_form.web_form.delete_multiple": SITE_WEB,
	"frappe.website.doctype.web_form.web_form.get_web_form_filters": SITE_WEB,
	"frappe.website.doctype.web_page_view.web_page_view.get_page_view_count": SITE_WEB,
	"frappe.workflow.doctype.workflow_action.workflow_action.apply_action": ECRITURE,
	"frappe.workflow.doctype.workflow_action.workflow_action.confirm_action": ECRITURE,
	"frappe.www.contact.send_message": SITE_WEB,
	"frappe.www.login.login_via_key": CONNEXION,
	"frappe.www.login.login_via_token": CONNEXION,
	"frappe.www.login.send_login_link": CONNEXION,
	"frappe.www.third_party_apps.delete_client": CONNEXION,
}

# DocTypes with a `structure` field or a permission hook that get no planted row of B, and why.
DEFINITIONS = (
	"définition (graphique, carte, tableau de bord, kanban) sans donnée de dossier : les chiffres et les"
	" cartes sont calculés pour chaque lecteur par frappe.get_list —"
	" tests/statistiques/test_tableau_de_bord.py::test_chiffres_du_responsable"
)
PERSONNALISATION = (
	"outil de personnalisation du Responsable : une définition (champ, propriété, format, réglage de"
	" liste) limitée aux DocTypes de l'application, sans donnée de dossier (personnalisation/gardes.py) —"
	" tests/securite/test_outils_responsable.py::test_pas_de_personnalisation_des_doctypes_du_coeur"
)
SANS_CANARI: dict[str, str] = {
	"Access Log": (
		"journal des exports et téléchargements : le Responsable lit celui des agents de sa structure"
		" (permissions/journal_acces.py) — tests/securite/test_journal_exports.py::test_http_le_journal_du_responsable"
	),
	"View Log": (
		"journal des consultations : le Responsable lit celui de sa structure —"
		" tests/securite/test_tracabilite.py::test_le_responsable_lit_les_consultations_de_sa_structure_seulement"
	),
	"Report": (
		"rapport enregistré : lu dans la structure de son auteur (permissions/rapports.py) —"
		" tests/securite/test_rapports.py::test_http_rapport_d_une_autre_structure"
	),
	"User": (
		"annuaire des agents (Frappe), sans donnée de dossier ; la liste des agents d'un formulaire se limite à"
		" la structure — tests/securite/test_equipe.py::test_la_liste_des_agents_d_un_formulaire_se_limite_a_la_structure"
	),
	"Notification": (
		"modèle de notification : attaché à une structure, n'envoie que ses documents à leurs lecteurs"
		" (personnalisation/notification.py) — tests/securite/test_outils_responsable.py::test_notification_du_system_manager_filtree_comme_les_autres"
	),
	"Notification Settings": "réglages de notification d'un utilisateur : Frappe ne les ouvre qu'à lui ; aucune donnée de dossier",
	"Dashboard Settings": "réglages d'affichage du tableau de bord d'un utilisateur ; aucune donnée de dossier",
	"Prepared Report": "aucun rôle de l'application ne lit ce DocType (vérifié par le balayage)",
	"Workflow Action": "aucun workflow dans l'application ; Frappe limite l'action à son destinataire",
	"Dashboard": DEFINITIONS,
	"Dashboard Chart": DEFINITIONS,
	"Number Card": DEFINITIONS,
	"Kanban Board": DEFINITIONS,
	"Custom Field": PERSONNALISATION,
	"Property Setter": PERSONNALISATION,
	"Print Format": PERSONNALISATION,
	"List View Settings": PERSONNALISATION,
	"Import Classeur": (
		"créé par le bureau d'import à partir d'un classeur déposé (fichier analysé à l'enregistrement) ;"
		" isolé par le même critère de structure (hooks.STRUCTURE_DOCTYPES), tests/imports/test_import_classeur.py"
	),
}

# DocTypes whose lists Frappe filters without checking the document, and why that is safe.
LISTE_SANS_CONTROLE_DE_DOCUMENT: dict[str, str] = {
	"Dashboard Settings": "réglages d'affichage du tableau de bord d'un utilisateur ; aucune donnée de dossier",
	"Dashboard": "définition d'un tableau de bord (liste de graphiques) ; les chiffres passent par get_list",
}
