"""The built database's shared facts, declared once: read by the build and the search alike.

Its schema version, the tables a readable file must have, the names of the R*Trees and how
a location's id encodes its provider.
"""

from __future__ import annotations

#: Bumped whenever the build writes a file an older reader could not use.
SCHEMA_VERSION = 5
#: Tables every built file has; a file without them is not a directory database.
EXPECTED_TABLES = frozenset({"meta", "providers", "locations", "jurisdictions", "treatments"})

#: The R*Trees of open providers' locations, of closed providers' (searched when asked for),
#: and of every location of a provider with several (open or closed: its ``closed`` column).
OPEN_TREE = "locations_rtree"
CLOSED_TREE = "closed_locations_rtree"
SHARED_TREE = "shared_locations_rtree"
RTREES = (OPEN_TREE, CLOSED_TREE, SHARED_TREE)

#: Bits of a location id below its provider's key: ``id >> PROVIDER_SHIFT`` is the provider.
PROVIDER_SHIFT = 16
#: The bit of a location id set when its provider has more than one location.
SHARED_FLAG = 1 << (PROVIDER_SHIFT - 1)


def location_key(provider_key: int, position: int, *, shared: bool = False) -> int:
    """A location's id: its provider's key in the high bits, so ``id >> 16`` is the provider.

    ``shared`` (the provider has other locations) sets :data:`SHARED_FLAG`. The search
    counts and groups R*Tree candidates by provider from the id alone, never reading a row,
    and groups only the locations whose flag is set.

    >>> location_key(3, 0), location_key(3, 2, shared=True)
    (196608, 229378)
    """
    return (provider_key << PROVIDER_SHIFT) | (SHARED_FLAG if shared else 0) | position


def provider_key_of(location_id: int) -> int:
    """The key of the provider a location id belongs to.

    >>> provider_key_of(location_key(3, 2, shared=True))
    3
    """
    return location_id >> PROVIDER_SHIFT
