"""scanning package."""
