.PHONY: run test messages

# Set up and run the whole product (web, worker, beat) with demo data.
run:
	bash scripts/run.sh

# Run all the tests on PostgreSQL; JUnit report in reports/junit.xml.
test:
	bash scripts/test.sh

# Re-extract the translatable strings into each catalogue (needs gettext).
messages:
	bash scripts/messages.sh
