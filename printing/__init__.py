"""Badges and confirmation letters as PDFs, badge templates, and printing (CUPS or a folder)."""
