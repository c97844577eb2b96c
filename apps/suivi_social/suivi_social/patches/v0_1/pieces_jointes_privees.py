"""Attachments of the app's records uploaded as public before the rule (permissions/pieces_jointes.py)
become private: moved to private/files, their URL with them."""

from suivi_social.permissions import pieces_jointes


def execute():
	pieces_jointes.rendre_privees()
