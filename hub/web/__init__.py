"""The hub's web console for the office and the pass office chief (docs/web-console.md)."""
