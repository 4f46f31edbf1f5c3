import sys

from benchmarks.http.run import main

sys.exit(main())
