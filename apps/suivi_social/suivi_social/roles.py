"""The app's roles. Names are shown as they are in the desk, so they are French."""

RESPONSABLE = "Responsable de structure"
TRAVAILLEUR_SOCIAL = "Travailleur social"
AGENT_ACCUEIL = "Agent d'accueil"
ADMINISTRATEUR = "Administrateur Suivi social"

ALL_ROLES = (RESPONSABLE, TRAVAILLEUR_SOCIAL, AGENT_ACCUEIL, ADMINISTRATEUR)
