"""Absences: who may record one, the rules of the dates and of the covering colleague, who covers
whom (continuite/absences.py), the private reports during and after an absence, and the
notifications of rappels and appointments given to an absent agent."""

import frappe
import pytest

from suivi_social.continuite.absences import absence_en_cours, remplacant, remplaces
from suivi_social.continuite.doctype.absence.absence import AbsenceInvalide
from suivi_social.exceptions import HorsStructure
from suivi_social.permissions import compte_rendu_prive
from suivi_social.roles import AGENT_ACCUEIL, TRAVAILLEUR_SOCIAL
from tests.conftest import as_user
from tests.continuite.outils import absence, jour
from tests.factories import make_user


@pytest.fixture(scope="session")
def equipe(_monde):
	"""Users of these tests, created once and committed (idempotent), as the world's."""
	e = frappe._dict(
		# An agent of both structures, and a colleague of both.
		double=make_user("double-ab@test.fr", TRAVAILLEUR_SOCIAL, structures=(_monde.a, _monde.b)),
		double2=make_user("double2-ab@test.fr", TRAVAILLEUR_SOCIAL, structures=(_monde.a, _monde.b)),
		parti=make_user("parti-a@test.fr", TRAVAILLEUR_SOCIAL, structures=(_monde.a,)),
		accueil=make_user("acc2-a@test.fr", AGENT_ACCUEIL, structures=(_monde.a,)),
	)
	frappe.db.set_value("User", e.parti, "enabled", 0)
	frappe.db.commit()
	return e


# --- Who may record an absence --------------------------------------------------------------


def test_l_agent_enregistre_sa_propre_absence(monde):
	with as_user(monde.ts_a):
		doc = absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	assert absence_en_cours(monde.ts_a) == doc.name


def test_le_responsable_enregistre_l_absence_d_un_agent(monde):
	with as_user(monde.resp_a):
		doc = absence(monde.a, monde.ts_a, monde.ts_a2).insert()
		doc.au = jour(5)
		doc.save()
	assert doc.owner == monde.resp_a


@pytest.mark.parametrize("qui", ["ts_a2", "acc_a"])
def test_un_collegue_n_enregistre_pas_l_absence_d_un_autre(monde, qui):
	with as_user(getattr(monde, qui)), pytest.raises(frappe.PermissionError):
		absence(monde.a, monde.ts_a, monde.resp_a).insert()


def test_un_collegue_ne_modifie_ni_ne_supprime_l_absence_d_un_autre(monde):
	with as_user(monde.ts_a):
		doc = absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	with as_user(monde.ts_a2):
		assert frappe.has_permission("Absence", "read", doc.name)  # who covers is no secret
		assert not frappe.has_permission("Absence", "write", doc.name)
		assert not frappe.has_permission("Absence", "delete", doc.name)
		doc = frappe.get_doc("Absence", doc.name)
		doc.au = jour(30)
		with pytest.raises(frappe.PermissionError):
			doc.save()


def test_le_responsable_d_une_autre_structure_ne_voit_rien(monde):
	with as_user(monde.resp_a):
		doc = absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	with as_user(monde.resp_b):
		assert not frappe.has_permission("Absence", "read", doc.name)
		assert frappe.get_list("Absence", pluck="name") == []
		with pytest.raises(frappe.PermissionError):
			absence(monde.a, monde.ts_a, monde.ts_a2).insert()


def test_l_agent_ne_se_declare_pas_absent_pour_un_collegue_en_changeant_l_agent(monde):
	with as_user(monde.ts_a):
		doc = absence(monde.a, monde.ts_a, monde.resp_a).insert()
		doc.agent = monde.ts_a2
		with pytest.raises(frappe.PermissionError):
			doc.save()


def test_aucun_motif_n_est_enregistre():
	"""A sick leave is nobody's business: the DocType has no field for a reason."""
	fields = {df.fieldname for df in frappe.get_meta("Absence").fields}
	assert not {f for f in fields if "motif" in f or "raison" in f}


# --- Dates, overlap, covering colleague ------------------------------------------------------


def test_fin_avant_debut_refusee(monde):
	with as_user(monde.ts_a), pytest.raises(AbsenceInvalide, match="Au"):
		absence(monde.a, monde.ts_a, monde.ts_a2, du=3, au=1).insert()


def test_absences_qui_se_chevauchent_refusees(monde):
	with as_user(monde.ts_a):
		premiere = absence(monde.a, monde.ts_a, monde.ts_a2, du=0, au=5).insert()
		with pytest.raises(AbsenceInvalide, match="couvre déjà"):
			absence(monde.a, monde.ts_a, monde.resp_a, du=5, au=8).insert()
		# The day after is free; and a record does not overlap itself when saved again.
		absence(monde.a, monde.ts_a, monde.resp_a, du=6, au=8).insert()
		premiere.au = jour(4)
		premiere.save()


def test_on_ne_se_remplace_pas_soi_meme(monde):
	with as_user(monde.ts_a), pytest.raises(AbsenceInvalide, match="lui-même"):
		absence(monde.a, monde.ts_a, monde.ts_a).insert()


def test_le_remplacant_ne_peut_pas_etre_absent_les_memes_jours(monde):
	with as_user(monde.resp_a):
		absence(monde.a, monde.ts_a2, monde.resp_a, du=2, au=4).insert()
		with pytest.raises(AbsenceInvalide, match="absent"):
			absence(monde.a, monde.ts_a, monde.ts_a2, du=0, au=2).insert()
		absence(monde.a, monde.ts_a, monde.ts_a2, du=0, au=1).insert()


def test_le_remplacant_est_de_la_structure(monde):
	with as_user(monde.ts_a), pytest.raises(HorsStructure):
		absence(monde.a, monde.ts_a, monde.ts_b).insert()


def test_le_remplacant_a_un_compte_actif(monde, equipe):
	with as_user(monde.ts_a), pytest.raises(AbsenceInvalide, match="compte actif"):
		absence(monde.a, monde.ts_a, equipe.parti).insert()


# --- remplacant() and absence_en_cours() -----------------------------------------------------


def test_remplacant_seulement_pendant_l_absence(monde):
	with as_user(monde.ts_a):
		doc = absence(monde.a, monde.ts_a, monde.ts_a2, du=-1, au=2).insert()
	assert remplacant(monde.ts_a) == monde.ts_a2
	assert remplacant(monde.ts_a, jour(2)) == monde.ts_a2
	assert remplacant(monde.ts_a, jour(-2)) == monde.ts_a
	assert remplacant(monde.ts_a, jour(3)) == monde.ts_a
	assert absence_en_cours(monde.ts_a, jour(3)) is None
	assert remplacant(monde.ts_a2) == monde.ts_a2
	assert remplaces(monde.ts_a2) == [monde.ts_a]
	# Ended early: everything is back today, nothing to undo.
	doc.au = jour(-1)
	doc.save(ignore_permissions=True)
	assert remplacant(monde.ts_a) == monde.ts_a
	assert remplaces(monde.ts_a2) == []


def test_remplacant_en_chaine(monde):
	"""ts_a is covered by ts_a2, who is away later in the same period (recorded afterwards):
	ts_a's work goes to whoever covers ts_a2."""
	with as_user(monde.resp_a):
		absence(monde.a, monde.ts_a, monde.ts_a2, du=0, au=5).insert()
		absence(monde.a, monde.ts_a2, monde.resp_a, du=3, au=4).insert()
	assert remplacant(monde.ts_a, jour(1)) == monde.ts_a2
	assert remplacant(monde.ts_a, jour(3)) == monde.resp_a
	assert remplaces(monde.resp_a, jour(3)) == sorted([monde.ts_a, monde.ts_a2])


def test_chaine_qui_boucle_rend_le_travail_a_l_agent(monde):
	with as_user(monde.resp_a):
		absence(monde.a, monde.ts_a, monde.ts_a2, du=0, au=5).insert()
		boucle = absence(monde.a, monde.ts_a2, monde.resp_a, du=3, au=4).insert()
	# Hand-edited data (the validation refuses it): ts_a2 covered by ts_a, who is away.
	frappe.db.set_value("Absence", boucle.name, "remplacant", monde.ts_a)
	assert remplacant(monde.ts_a, jour(3)) == monde.ts_a


def test_un_remplacant_qui_a_quitte_la_structure_ne_recoit_rien(monde):
	with as_user(monde.resp_a):
		absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	frappe.db.delete("User Permission", {"user": monde.ts_a2, "allow": "Structure", "for_value": monde.a})
	assert remplacant(monde.ts_a) == monde.ts_a


def test_remplacant_dans_la_structure_de_l_absence_seulement(monde, equipe):
	"""An agent of A and B, away, covered in A: a record of B is not routed to A's colleague."""
	double = equipe.double
	with as_user(double):
		absence(monde.a, double, monde.ts_a2).insert()
	assert remplacant(double, structure=monde.a) == monde.ts_a2
	assert remplacant(double, structure=monde.b) == double


def test_absences_chevauchantes_refusees_entre_structures(monde, equipe):
	double = equipe.double
	with as_user(double):
		absence(monde.a, double, monde.ts_a2).insert()
		with pytest.raises(AbsenceInvalide, match="déjà enregistrée sur ces dates"):
			absence(monde.b, double, monde.ts_b).insert()


# --- Sharing the private reports -------------------------------------------------------------


def test_seul_l_agent_partage_ses_comptes_rendus(monde):
	with as_user(monde.resp_a):
		with pytest.raises(AbsenceInvalide, match="seul"):
			absence(monde.a, monde.ts_a, monde.ts_a2, partager_comptes_rendus=1).insert()
		doc = absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	with as_user(monde.ts_a):
		doc.reload()
		doc.partager_comptes_rendus = 1
		doc.save()
	with as_user(monde.resp_a):
		# Changing the colleague would hand the reports to someone the agent did not choose.
		doc.reload()
		doc.remplacant = monde.resp_a
		with pytest.raises(AbsenceInvalide, match="seul"):
			doc.save()
		doc.reload()
		doc.partager_comptes_rendus = 0  # anyone may stop the sharing
		doc.save()


def test_pas_de_partage_avec_un_agent_d_accueil(monde):
	with as_user(monde.ts_a), pytest.raises(AbsenceInvalide, match="comptes rendus"):
		absence(monde.a, monde.ts_a, monde.acc_a, partager_comptes_rendus=1).insert()


def compte_rendu(auteur: str, accompagnement: str) -> str:
	with as_user(auteur):
		return (
			frappe.get_doc(
				{"doctype": "Compte Rendu Prive", "accompagnement": accompagnement, "texte": "<p>Privé</p>"}
			)
			.insert()
			.name
		)


def lit(user: str, name: str) -> bool:
	"""The document check and the list agree."""
	with as_user(user):
		par_document = frappe.has_permission("Compte Rendu Prive", "read", name)
		par_liste = name in frappe.get_list("Compte Rendu Prive", pluck="name", limit_page_length=0)
	assert par_document == par_liste
	return par_document


def test_le_remplacant_lit_les_comptes_rendus_pendant_l_absence_seulement(monde):
	note = compte_rendu(monde.ts_a, monde.acc_ben_a)
	assert not lit(monde.ts_a2, note)
	with as_user(monde.ts_a):
		doc = absence(monde.a, monde.ts_a, monde.ts_a2, partager_comptes_rendus=1).insert()
	assert lit(monde.ts_a2, note)
	with as_user(monde.ts_a2):
		assert not frappe.has_permission("Compte Rendu Prive", "write", note)  # reading only
	assert not lit(monde.resp_a, note)  # only the colleague the agent chose
	# The absence ends (shortened to yesterday): the reading ends with it.
	with as_user(monde.ts_a):
		doc.au = jour(-1)
		doc.save()
	assert not lit(monde.ts_a2, note)


def test_absence_passee_ou_a_venir_ne_donne_rien(monde):
	note = compte_rendu(monde.ts_a, monde.acc_ben_a)
	with as_user(monde.ts_a):
		absence(monde.a, monde.ts_a, monde.ts_a2, du=-10, au=-2, partager_comptes_rendus=1).insert()
		absence(monde.a, monde.ts_a, monde.ts_a2, du=3, au=6, partager_comptes_rendus=1).insert()
	assert not lit(monde.ts_a2, note)


def test_sans_partage_le_remplacant_ne_lit_pas(monde):
	note = compte_rendu(monde.ts_a, monde.acc_ben_a)
	with as_user(monde.ts_a):
		absence(monde.a, monde.ts_a, monde.ts_a2).insert()
	assert remplacant(monde.ts_a) == monde.ts_a2
	assert not lit(monde.ts_a2, note)


def test_le_partage_ne_traverse_pas_les_structures(monde, equipe):
	"""Both agents belong to A and B; the absence is recorded in B: the colleague reads the
	absent agent's reports of B, not those of A."""
	double = equipe.double
	collegue = equipe.double2
	note_a = compte_rendu(double, monde.acc_ben_a)
	note_b = compte_rendu(double, monde.acc_ben_b)
	with as_user(double):
		absence(monde.b, double, collegue, partager_comptes_rendus=1).insert()
	assert lit(collegue, note_b)
	assert not lit(collegue, note_a)


def test_la_condition_de_liste_reste_sur_les_colonnes_du_compte_rendu(monde):
	"""No subquery on Absence in the list condition (the File list evaluates it per file)."""
	with as_user(monde.ts_a):
		absence(monde.a, monde.ts_a, monde.ts_a2, partager_comptes_rendus=1).insert()
	condition = compte_rendu_prive.query_conditions(monde.ts_a2)
	assert "tabAbsence" not in condition and frappe.db.escape(monde.ts_a) in condition


# --- Rappels and appointments given to an absent agent ---------------------------------------


def notifications(user: str, doctype: str, name: str) -> list[str]:
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": user, "document_type": doctype, "document_name": name},
		pluck="subject",
	)


def nouveau_rappel(monde, echeance: int):
	with as_user(monde.acc_a):
		return frappe.get_doc(
			{
				"doctype": "Rappel",
				"titre": "Rappeler Mme Martin",
				"date_echeance": jour(echeance),
				"assigne_a": monde.ts_a,
				"beneficiaire": monde.ben_a.name,
			}
		).insert()


def test_un_rappel_pour_un_absent_previent_son_remplacant(monde):
	with as_user(monde.ts_a):
		absence(monde.a, monde.ts_a, monde.ts_a2, du=-1, au=3).insert()
	pendant = nouveau_rappel(monde, 1)
	apres = nouveau_rappel(monde, 10)
	sujets = notifications(monde.ts_a2, "Rappel", pendant.name)
	assert len(sujets) == 1 and "que vous remplacez" in sujets[0]
	assert "Martin" not in sujets[0]  # no beneficiary in a bell or an e-mail subject
	assert notifications(monde.ts_a2, "Rappel", apres.name) == []  # back by then: theirs
	assert pendant.assigne_a == monde.ts_a  # the rappel itself is not reassigned
	# Given to the absent agent later (reassigned): the colleague hears of it then.
	apres.date_echeance = jour(2)
	apres.save(ignore_permissions=True)
	assert len(notifications(monde.ts_a2, "Rappel", apres.name)) == 1


def test_un_rappel_pour_un_agent_present_ne_previent_personne_d_autre(monde):
	r = nouveau_rappel(monde, 1)
	destinataires = frappe.get_all(
		"Notification Log", filters={"document_type": "Rappel", "document_name": r.name}, pluck="for_user"
	)
	assert set(destinataires) <= {monde.ts_a}


def test_un_rendez_vous_pendant_l_absence_previent_le_remplacant(monde):
	with as_user(monde.ts_a):
		absence(monde.a, monde.ts_a, monde.ts_a2, du=0, au=3).insert()
	with as_user(monde.acc_a):
		rdv = frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": monde.ben_a.name,
				"types_accompagnement": [{"type_accompagnement": monde.type_a}],
				"date": jour(2),
				"heure": "10:00:00",
				"mode": "Accueil physique sur rendez-vous",
				"statut": "Planifié",
				"agent": monde.ts_a,
			}
		).insert()
	sujets = notifications(monde.ts_a2, "Accompagnement", rdv.name)
	assert len(sujets) == 1 and "10:00" in sujets[0]
	# Moved after the agent's return: no one else is told.
	rdv.date = jour(8)
	rdv.save(ignore_permissions=True)
	assert len(notifications(monde.ts_a2, "Accompagnement", rdv.name)) == 1


def test_le_remplacant_d_une_autre_structure_n_est_jamais_prevenu(monde, equipe):
	"""An agent of A and B covered in B: their rappel of A stays theirs."""
	double = equipe.double
	with as_user(double):
		absence(monde.b, double, monde.ts_b).insert()
	with as_user(monde.acc_a):
		r = frappe.get_doc(
			{"doctype": "Rappel", "titre": "Relancer", "date_echeance": jour(0), "assigne_a": double}
		).insert()
	assert r.structure == monde.a
	assert notifications(monde.ts_b, "Rappel", r.name) == []


def test_agent_d_accueil_remplacant_sans_partage(monde, equipe):
	accueil = equipe.accueil
	with as_user(monde.acc_a):
		doc = absence(monde.a, monde.acc_a, accueil).insert()
	assert remplacant(monde.acc_a) == accueil and not doc.partager_comptes_rendus
