#!/usr/bin/env bash
# Re-extract translatable strings. Each app keeps its own catalogue (<app>/locale) for
# its code and templates; locale/ holds the project-level one (templates/, config/).
#   bash scripts/messages.sh            # every catalogue
#   bash scripts/messages.sh filings    # one app's catalogue only (other files untouched)
# Runs from the project root: running makemessages inside an app folder would let the
# app's selectors.py shadow the standard library's selectors module.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv
apt_install gettext
ALL=(core shops filings samples flashsales ops api)
ignores=(-i ".venv/*" -i "staticfiles/*" -i "tests/*" -i "scripts/*" -i "*/migrations/*" -i "media/*" -i "var/*")
if (($#)); then
  # Django matches a "dir/*" pattern against any folder of that name, so the project's
  # templates/ is ignored by its sub-folders and files (an app's templates/ stays in).
  ignores+=(-i "templates/includes/*" -i "templates/registration/*" -i "templates/*.html" -i "config/*")
  for app in "${ALL[@]}"; do
    [[ " $* " == *" $app "* ]] || ignores+=(-i "$app/*")
  done
fi
for app in "${ALL[@]}"; do mkdir -p "$app/locale"; done
# makemessages and compilemessages load the settings but never connect to the database.
export DATABASE_URL=${DATABASE_URL:-postgres://unused@127.0.0.1/unused}
DJANGO_DEBUG=true "$PY" manage.py makemessages -l zh_Hans --no-location --no-obsolete "${ignores[@]}"
# Strings that moved between apps keep their translation (scripts/po_fill.py).
"$PY" scripts/po_fill.py --rev HEAD || say "some strings still need a Chinese translation (listed above)"
DJANGO_DEBUG=true "$PY" manage.py compilemessages -v0 --ignore=.venv
