"""Command groups beyond the core ones in papercast.cli; each module registers its commands on `app`.
Importing them here (from the bottom of papercast.cli) is what makes them part of the CLI."""
from importlib import import_module

MODULES = ["publishing", "serving", "sources", "cache"]

for _name in MODULES:
    import_module(f"papercast.commands.{_name}")
