#!/usr/bin/env bash
# Re-extract translatable strings. Each app keeps its own catalogue (<app>/locale) for
# its code and templates; locale/ holds the project-level one (templates/, config/).
#   bash scripts/messages.sh            # every catalogue
#   bash scripts/messages.sh filings    # one app's catalogue only
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv
apt_install gettext
ALL_APPS=(shops filings samples flashsales)
APPS=("$@")
if ((${#APPS[@]} == 0)); then
  APPS=("${ALL_APPS[@]}")
  ignores=(-i ".venv/*" -i "staticfiles/*" -i "tests/*" -i "scripts/*")
  for app in "${ALL_APPS[@]}"; do ignores+=(-i "$app/*"); done
  DJANGO_DEBUG=true "$PY" manage.py makemessages -l zh_Hans --no-location "${ignores[@]}"
fi
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH="$ROOT" DJANGO_DEBUG=true \
    "$PY" -m django makemessages -l zh_Hans --no-location -i "migrations/*")
done
DJANGO_DEBUG=true "$PY" manage.py compilemessages -v0 --ignore=.venv
