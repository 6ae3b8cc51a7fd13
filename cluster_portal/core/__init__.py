"""Shared ground: what every app may use, which imports no app of the portal.

Domain errors, bilingual fields, CSV exports, the anonymous page cache, the admin's decision
actions and row labels, credential links, second-factor checks and the roles module.
"""
