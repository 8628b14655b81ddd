"""The way in for newcomers: interests to topic groups, proposals and open associations."""
