"""The demo world: events, applicants in every situation, letters and a manifest."""
