"""`python -m normgraph` runs the command line."""
from normgraph.cli import main

raise SystemExit(main())
