#!/usr/bin/env bash
# Re-extract translatable strings. Each app keeps its own catalogue (<app>/locale) for
# its code and templates; locale/ holds the project-level ones (templates/, config/).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv
apt_install gettext
APPS=(shops filings samples flashsales)
ignores=(-i ".venv/*" -i "staticfiles/*" -i "tests/*" -i "scripts/*")
for app in "${APPS[@]}"; do ignores+=(-i "$app/*"); done
DJANGO_DEBUG=true "$PY" manage.py makemessages -l zh_Hans --no-location "${ignores[@]}"
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH="$ROOT" DJANGO_DEBUG=true \
    "$PY" -m django makemessages -l zh_Hans --no-location -i "migrations/*")
done
DJANGO_DEBUG=true "$PY" manage.py compilemessages -v0 --ignore=.venv
