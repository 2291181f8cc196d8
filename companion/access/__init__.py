"""Who may use the companion: API tokens of paired extensions and scripts (tokens.py), the dashboard's
one-time login links and browser sessions (logins.py), and pairing requests (pairing.py).

All three keep digests with expiry in a locked JSON file in the data folder, so the CLI and a running
companion share them; readers hold them in one kind of cache that re-reads a file only when it changed
(digests.py), and every time comes from one clock (epoch seconds; `iso` writes them for people).
"""
