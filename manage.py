#!/usr/bin/env python3
"""Django's usual entry point; the same as the `thidua` console script."""

from thidua.cli import main

if __name__ == "__main__":
    main()
