#!/usr/bin/env bash
# The quick test path (`make quick`, or with pytest's arguments:
# `bash scripts/pytest.sh tests/samples -x -q`): pytest on a throwaway PostgreSQL cluster
# and a private Redis, started and stopped around it (about 2 s), as the test command does,
# without its browser install, code checks and soak. There is one suite: the same tests
# run here as in `make test`.
QUICK=1 exec bash "$(dirname "$0")/test.sh" "$@"
