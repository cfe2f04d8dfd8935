"""The bundle's entry point: the same `atelier` command as the installed package."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # torch and PyInstaller: a frozen child must not rerun main
    from app.cli import main

    sys.exit(main())
