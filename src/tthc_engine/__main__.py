import sys

from tthc_engine.cli import main

sys.exit(main())
