"""Roster import from HR's Excel or CSV (docs/administration.md): template, parse, preview, apply, slips."""
