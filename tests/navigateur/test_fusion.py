"""« Fusionner avec un autre dossier » on the Bénéficiaire form: the travailleur social who follows
the person picks the file the matching proposes, reads what will move, confirms; the other file's
accompaniment now hangs on the kept one and the other file is gone. The agent d'accueil has no
such button (the rule: dossiers/fusion.refus_de_fusion)."""

import frappe
from playwright.sync_api import expect

from tests.factories import make_accompagnement, make_beneficiaire
from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import boite, capture, formulaire_pret, ouvrir


def deux_dossiers(monde) -> tuple[str, str, str]:
	"""Marie-Claire Lévêque, typed twice; each run starts from a clean structure (donnees.nettoyer)."""
	frappe.db.rollback()
	garde = make_beneficiaire(
		STRUCTURE, nom_usage="Lévêque", prenoms="Marie-Claire", date_naissance="1944-03-02"
	).name
	# (MariaDB compares without case nor accents: the first name tells them apart.)
	absorbe = frappe.db.get_value(
		"Beneficiaire", {"structure": STRUCTURE, "nom_usage": "LEVEQUE", "prenoms": "Marie"}
	)
	if not absorbe:
		absorbe = (
			frappe.get_doc(
				{
					"doctype": "Beneficiaire",
					"structure": STRUCTURE,
					"nom_usage": "LEVEQUE",
					"prenoms": "Marie",
					"date_naissance": "1944-03-02",
					"telephone": "0612345678",
					"doublon_confirme": 1,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	accompagnement = frappe.db.get_value("Accompagnement", {"beneficiaire": absorbe}) or (
		make_accompagnement(absorbe, monde.type_simple, monde.comptes["travailleur"]).name
	)
	frappe.db.commit()
	return garde, absorbe, accompagnement


def test_fusionner_deux_dossiers(onglet, roles, monde_nv):
	garde, absorbe, accompagnement = deux_dossiers(monde_nv)

	# The agent d'accueil never merges: no such action on the file.
	page = onglet("accueil")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{garde}")
	formulaire_pret(page, "Beneficiaire")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("LÉVÊQUE Marie-Claire")
	expect(
		page.locator(".page-head:visible").get_by_role("button", name="Fusionner avec un autre dossier")
	).to_have_count(0)

	# The travailleur social of the structure merges the two files of the person they follow.
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{garde}")
	formulaire_pret(page, "Beneficiaire")
	page.locator(".page-head:visible").get_by_role("button", name="Fusionner avec un autre dossier").click()
	choix = boite(page)
	expect(choix.locator(".modal-title")).to_have_text("Fusionner avec un autre dossier")
	proche = choix.get_by_label("Dossier proche")
	expect(proche).to_have_value(absorbe)
	expect(proche.locator("option:checked")).to_contain_text(f"{absorbe} — LEVEQUE Marie")
	expect(choix.get_by_label("Dossier conservé")).to_have_value("celui-ci")
	capture(page, "fusion-1-choix")
	choix.get_by_role("button", name="Continuer").click()

	confirmation = boite(page)
	expect(confirmation.locator(".modal-title")).to_have_text("Confirmer la fusion des deux dossiers")
	expect(confirmation).to_contain_text(
		f"Le dossier {absorbe} (LEVEQUE Marie, né(e) le 02/03/1944) sera fusionné dans le dossier "
		f"{garde} (LÉVÊQUE Marie-Claire, né(e) le 02/03/1944), qui est conservé."
	)
	expect(confirmation).to_contain_text("1 accompagnement(s), avec leurs comptes rendus privés")
	expect(confirmation).to_contain_text("0 rappel(s)")
	expect(confirmation).to_contain_text(f"Le dossier {absorbe} est ensuite supprimé")
	capture(page, "fusion-2-confirmation")
	confirmation.get_by_role("button", name="Fusionner les dossiers").click()

	expect(page.locator(".alert-message", has_text=f"Le dossier {absorbe} a été fusionné")).to_be_visible()
	formulaire_pret(page, "Beneficiaire")
	# The empty phone of the kept file is filled from the other one; the timeline keeps a note.
	page.wait_for_function("() => cur_frm.doc.telephone === '06 12 34 56 78'")
	expect(page.locator(".timeline-content:visible", has_text=f"Dossier {absorbe}")).to_contain_text(
		"fusionné dans ce dossier"
	)
	capture(page, "fusion-3-fusionne")

	frappe.db.rollback()
	assert not frappe.db.exists("Beneficiaire", absorbe)
	assert frappe.db.get_value("Accompagnement", accompagnement, "beneficiaire") == garde
	travailleur = roles.monde.comptes["travailleur"]
	assert frappe.db.exists(
		"Comment",
		{
			"reference_doctype": "Beneficiaire",
			"reference_name": garde,
			"comment_type": "Info",
			"content": ("like", f"%fusionné dans ce dossier par {travailleur}%"),
		},
	)
