import sys

from ipm_reference_provider.cli import main

sys.exit(main())
