"""The organisation: units as a tree (company → department / workshop → team) and who is in them."""
