"""Location and text search, its modules in the order a request passes through them.

``params`` (the parameter table, parsing) → ``place`` (the geocoded centre) →
``candidates`` (R*Trees and provider conditions) → ``nearby`` (count and rank on the
R*Tree, or the in-memory ``point_index``) → ``hits`` (the page by exact geodesic, with
details) → ``result`` (the total, the page, the nearest when nobody is near) →
``service`` (one call for the list, the map and the API). ``points`` gives the map its
markers from the same candidates; ``geometry`` holds the distances and boxes all use.
"""
