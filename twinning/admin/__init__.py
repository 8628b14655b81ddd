"""Platform administration: approving associations, keeping the theme list."""
