"""Pages that belong to no feature: home, imprint, privacy, health check."""
