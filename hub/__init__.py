"""The accreditation office's hub: approvals out to the kiosks, what they did back in."""
