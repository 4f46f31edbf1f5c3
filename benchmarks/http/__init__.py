"""`make bench-http`: the busy pages served by gunicorn with the production settings, measured
with wrk against a bare Django view on 10,000 to 1,000,000 approval requests (run.py)."""
