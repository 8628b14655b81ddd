"""Working groups of an association and topic groups of the whole network."""
