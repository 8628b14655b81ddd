"""Real-browser checks: journeys, accessibility, HTML validity, phone layout, screenshots."""
