"""``python -m coopkg`` runs the command line."""

from coopkg.cli import run

if __name__ == "__main__":
    run()
