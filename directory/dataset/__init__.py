"""The curated dataset: its schema, loading and validation, the database build, synthetic data."""
