"""The reception desk (« Accueil »): finding a person among the structure's files, and what the
desk does with the file found. The search engine is in recherche.py, its index in jetons.py."""
