"""The database cut off mid-write (issue 12 « Bad input and faults »): nothing half-written remains.

A child process saves a Bénéficiaire and several accompaniments in one transaction (what a form
save or one import batch does), and waits before its commit. Then either its MariaDB connection is
killed from the admin account (`KILL <connection id>`, what a database restart does to every open
connection), or the child process itself is killed (`kill -9`, a web or worker process dying).
The shared MariaDB server is never restarted: other test runs use it.
Afterwards no row of that transaction exists, and the site answers and writes again.
"""

import os
import signal
import subprocess
import sys
import time

import frappe
import pytest

from tests.conftest import BENCH, SITES, TEST_SITE
from tests.outils_bench import connexion_admin

ACCOMPAGNEMENTS = 5

# The child: one transaction, its connection id printed, then the commit when the parent says so.
ENFANT = """
import sys
import frappe
from tests.factories import beneficiaire_values, make_accompagnement

site, structure, type_accompagnement, agent, marque = sys.argv[1:6]
frappe.init(site=site, sites_path=".")
frappe.connect()
frappe.set_user("Administrator")
connexion = frappe.db.sql("select connection_id()")[0][0]
dossier = frappe.get_doc(beneficiaire_values(structure, nom_usage=marque, prenoms="Coupure")).insert(
	ignore_permissions=True
)
for _ in range(int(sys.argv[6])):
	make_accompagnement(dossier.name, type_accompagnement, agent)
print(connexion, dossier.name, flush=True)
sys.stdin.readline()
frappe.db.commit()
print("ENREGISTRE", flush=True)
"""


def lancer_l_enfant(monde, marque: str) -> tuple[subprocess.Popen, int, str]:
	enfant = subprocess.Popen(
		[
			sys.executable,
			"-c",
			ENFANT,
			TEST_SITE,
			monde.a,
			monde.type_a,
			monde.ts_a,
			marque,
			str(ACCOMPAGNEMENTS),
		],
		cwd=SITES,
		env={**os.environ, "PYTHONPATH": str(BENCH)},
		stdin=subprocess.PIPE,
		stdout=subprocess.PIPE,
		stderr=subprocess.PIPE,
		text=True,
	)
	ligne = enfant.stdout.readline()
	assert ligne, enfant.stderr.read()
	connexion, dossier = ligne.split()
	return enfant, int(connexion), dossier


def lignes_de(marque: str, dossier: str) -> dict[str, int]:
	"""What another session sees of the transaction: committed rows only."""
	base = frappe.conf.db_name
	with connexion_admin() as connexion, connexion.cursor() as curseur:
		curseur.execute(f"select count(*) from `{base}`.`tabBeneficiaire` where nom_usage=%s", (marque,))
		dossiers = curseur.fetchone()[0]
		curseur.execute(
			f"select count(*) from `{base}`.`tabAccompagnement` where beneficiaire=%s", (dossier,)
		)
		accompagnements = curseur.fetchone()[0]
		curseur.execute(
			f"select count(*) from `{base}`.`tabType Accompagnement Lien` where parent in "
			f"(select name from `{base}`.`tabAccompagnement` where beneficiaire=%s)",
			(dossier,),
		)
		liens = curseur.fetchone()[0]
	return {"Beneficiaire": dossiers, "Accompagnement": accompagnements, "lignes de types": liens}


def attendre_la_fin_de_la_connexion(connexion_id: int) -> None:
	"""The server rolls back a dead connection's transaction before the connection disappears."""
	with connexion_admin() as connexion, connexion.cursor() as curseur:
		for _ in range(100):
			curseur.execute(
				"select count(*) from information_schema.processlist where id=%s", (connexion_id,)
			)
			if not curseur.fetchone()[0]:
				return
			time.sleep(0.1)
	raise AssertionError(f"La connexion {connexion_id} est toujours ouverte.")


@pytest.fixture
def marque():
	valeur = f"Coupure{frappe.generate_hash(length=8)}"
	yield valeur
	# Rows of the control run (committed by a child process); the test's own work is rolled back
	# first, not committed with them.
	frappe.db.rollback()
	for dossier in frappe.get_all("Beneficiaire", {"nom_usage": valeur}, pluck="name"):
		for accompagnement in frappe.get_all("Accompagnement", {"beneficiaire": dossier}, pluck="name"):
			frappe.delete_doc("Accompagnement", accompagnement, ignore_permissions=True, force=True)
		frappe.delete_doc("Beneficiaire", dossier, ignore_permissions=True, force=True)
	frappe.db.commit()


def test_sans_coupure_tout_est_enregistre(monde, marque):
	"""The control: the same child, left to commit, writes the file and all its accompaniments
	(so the checks below would see rows if any were written)."""
	enfant, _, dossier = lancer_l_enfant(monde, marque)
	assert lignes_de(marque, dossier) == {"Beneficiaire": 0, "Accompagnement": 0, "lignes de types": 0}
	sortie, erreurs = enfant.communicate("\n", timeout=60)
	assert "ENREGISTRE" in sortie, erreurs
	assert lignes_de(marque, dossier) == {
		"Beneficiaire": 1,
		"Accompagnement": ACCOMPAGNEMENTS,
		"lignes de types": ACCOMPAGNEMENTS,
	}


def test_connexion_tuee_au_milieu_de_l_ecriture(monde, marque):
	enfant, connexion_id, dossier = lancer_l_enfant(monde, marque)
	with connexion_admin() as connexion, connexion.cursor() as curseur:
		curseur.execute(f"KILL {connexion_id:d}")
	attendre_la_fin_de_la_connexion(connexion_id)
	sortie, erreurs = enfant.communicate("\n", timeout=60)
	assert "ENREGISTRE" not in sortie
	assert enfant.returncode != 0
	assert "Lost connection" in erreurs or "gone away" in erreurs or "InterfaceError" in erreurs, erreurs
	assert lignes_de(marque, dossier) == {"Beneficiaire": 0, "Accompagnement": 0, "lignes de types": 0}
	le_site_repond_et_ecrit(monde)


def test_processus_tue_au_milieu_de_l_ecriture(monde, marque):
	enfant, connexion_id, dossier = lancer_l_enfant(monde, marque)
	enfant.send_signal(signal.SIGKILL)
	enfant.wait(timeout=30)
	attendre_la_fin_de_la_connexion(connexion_id)
	assert lignes_de(marque, dossier) == {"Beneficiaire": 0, "Accompagnement": 0, "lignes de types": 0}
	le_site_repond_et_ecrit(monde)


def le_site_repond_et_ecrit(monde) -> None:
	"""Another connection reads and writes as before (rolled back by the test's fixture)."""
	from tests.factories import make_accompagnement

	assert frappe.get_list("Beneficiaire", filters={"structure": monde.a}, limit_page_length=1)
	accompagnement = make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a)
	assert frappe.db.exists("Accompagnement", accompagnement.name)
	frappe.db.rollback()
