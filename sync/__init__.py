"""fangtan's sync engine: wire types, named mutations, apply/pull/conflicts over SQLite.

Knows nothing of HTTP; the server (``server/``) and the Python device client call into it.
"""
