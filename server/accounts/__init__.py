"""Accounts: users, passwords, devices, tokens, login rate limits."""
