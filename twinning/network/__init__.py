"""Views across the whole network: SDG and theme pages, dashboards, feeds."""
