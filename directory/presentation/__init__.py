"""How the directory speaks: labels for codes, the sentences announcing results, and the one
table of template filters."""
