"""Data updates: public suggestions, the review queue, applying changes to data/, the change log.

The pieces, each in its own module and none importing Flask:

* ``store`` - the pending queue (its own SQLite database in the instance folder);
* ``intake``, ``newprovider``, ``forms`` - a public form becomes a queued submission, or
  messages next to its fields and nothing stored;
* ``diff``, ``fields`` - field paths, field-level differences, typed-in values;
* ``items`` - what the review page shows: the diff, problems, possible duplicates;
* ``decisions``, ``listing`` - edit, approve, reject; hide a provider or list it again;
* ``apply``, ``yamlio``, ``changelog`` - writing YAML files and the change log atomically,
  validating the whole dataset, rebuilding the database;
* ``imports`` - batch updates from CSV or YAML, all or nothing;
* ``freshness``, ``duplicates``, ``accounts``, ``ratelimit``, ``display`` - one job each.
"""
