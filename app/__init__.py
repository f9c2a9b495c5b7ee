"""Wiring and entry points: the composition root, the CLIs, the window launcher, the demo."""
