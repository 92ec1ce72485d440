"""The data-access layer: every SQL statement the app runs lives in this package."""
