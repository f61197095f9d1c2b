import sys

from orbitview.cli import main

sys.exit(main())
