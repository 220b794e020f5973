.PHONY: run dev test quick messages soak

# Set up and run the whole product as production runs it (gunicorn, worker, beat, Redis;
# Procfile under honcho) with demo data, on 127.0.0.1:8000.
run:
	bash scripts/run.sh

# Run all the tests on PostgreSQL; JUnit report in reports/junit.xml.
test:
	bash scripts/test.sh

# The same suite on a throwaway PostgreSQL + Redis, without the browser install, code checks
# and soak (pytest's arguments: bash scripts/pytest.sh tests/samples -x -q).
quick:
	bash scripts/pytest.sh

# Re-extract the translatable strings into each catalogue (needs gettext).
messages:
	bash scripts/messages.sh

# The same stack with debug on and the auto-reloading development server.
dev:
	bash scripts/run.sh --dev

# The whole stack under traffic and failures for 10 minutes, then the database checked
# (reports/soak.json). `make test` runs a short variant after the suite.
soak:
	bash scripts/soak.sh
