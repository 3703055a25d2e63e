"""fangtan's HTTP server: settings, app factory, auth, guards, routes, CLI."""

__version__ = "0.1.0"
