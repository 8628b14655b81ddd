"""Platform-wide topics: the themes admins keep, and the 17 UN goals."""
