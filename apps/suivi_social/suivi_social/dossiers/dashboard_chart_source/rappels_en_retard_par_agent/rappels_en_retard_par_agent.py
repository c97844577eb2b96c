"""Dashboard chart source « Rappels en retard par agent »: computed in suivi_social.dossiers.rappels."""

from suivi_social.dossiers import rappels, tableau_de_bord

get = tableau_de_bord.source_de_graphique(rappels.rappels_en_retard_par_agent)
