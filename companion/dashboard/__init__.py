"""The dashboard's templates and static files (package data; served by companion.http.dashboard)."""
