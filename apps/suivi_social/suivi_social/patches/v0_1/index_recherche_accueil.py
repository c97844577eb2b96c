"""The reception search's index (accueil/jetons.py) for the files that existed before it: created
and filled from tabBeneficiaire (about 10 s per 100,000 files)."""

from suivi_social.accueil import jetons


def execute():
	jetons.reconstruire()
