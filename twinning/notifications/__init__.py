"""In-app notifications and their e-mail delivery (immediately, daily digest, never)."""
