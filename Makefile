# Front-end vendoring. Node is needed only to run `make vendor`; its output in
# ventanilla/static/vendor/ is committed, so Python-only deploys need no Node.
# See docs/frontend.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GOVUK_VERSION := 6.6.0
HTMX_VERSION  := 4.0.1

FRONTEND   := frontend
NODE_MOD   := $(FRONTEND)/node_modules
GOVUK_DIST := $(NODE_MOD)/govuk-frontend/dist/govuk
HTMX_DIST  := $(NODE_MOD)/htmx.org/dist
STATIC     := ventanilla/static
GOVUK_OUT  := $(STATIC)/vendor/govuk-frontend/$(GOVUK_VERSION)
HTMX_OUT   := $(STATIC)/vendor/htmx/$(HTMX_VERSION)

# Images from govuk-frontend's assets/ that we ship. Every image GOV.UK ships
# (favicons, app icons, the crest, the OpenGraph image) carries the Crown, so
# the de-branded build ships none of them, nor the manifest that lists them,
# nor the GDS Transport fonts. Ventanilla's own favicon, icons and web manifest
# live in ventanilla/static/. Add a file name here if a component ever needs one.
GOVUK_IMAGES :=

.PHONY: vendor vendor-clean vendor-check vendor-sizes icons

## vendor: reinstall the pinned npm packages and rebuild ventanilla/static/vendor/
vendor: vendor-clean
	cd $(FRONTEND) && npm ci --ignore-scripts --no-audit --no-fund
	@# The lockfile pins exact versions; refuse to build anything else.
	test "$$(node -p 'require("./$(NODE_MOD)/govuk-frontend/package.json").version')" = "$(GOVUK_VERSION)"
	test "$$(node -p 'require("./$(NODE_MOD)/htmx.org/package.json").version')" = "$(HTMX_VERSION)"
	mkdir -p $(GOVUK_OUT) $(HTMX_OUT)
	$(NODE_MOD)/.bin/sass --load-path=$(NODE_MOD) --style=compressed --no-source-map \
		$(FRONTEND)/scss/ventanilla.scss $(GOVUK_OUT)/ventanilla.min.css
	@# Strip sourceMappingURL comments: we do not ship the maps, and
	@# ManifestStaticFilesStorage fails on references to missing files.
	sed -e 's|//# sourceMappingURL=[^ ]*$$||' $(GOVUK_DIST)/govuk-frontend.min.js > $(GOVUK_OUT)/govuk-frontend.min.js
	cp $(FRONTEND)/licenses/govuk-frontend-LICENSE.txt $(GOVUK_OUT)/LICENSE.txt
	$(if $(strip $(GOVUK_IMAGES)),mkdir -p $(GOVUK_OUT)/assets/images && \
		cp $(addprefix $(GOVUK_DIST)/assets/images/,$(GOVUK_IMAGES)) $(GOVUK_OUT)/assets/images/,@true)
	sed -e 's|//# sourceMappingURL=[^ ]*$$||' $(HTMX_DIST)/htmx.min.js > $(HTMX_OUT)/htmx.min.js
	cp $(NODE_MOD)/htmx.org/LICENSE $(HTMX_OUT)/LICENSE.txt
	$(MAKE) --no-print-directory vendor-check vendor-sizes

## vendor-clean: remove the generated vendor files (not node_modules)
vendor-clean:
	rm -rf $(STATIC)/vendor/govuk-frontend $(STATIC)/vendor/htmx

## vendor-check: the built CSS/JS reference only files that exist, no fonts, no maps
vendor-check:
	@status=0; \
	for url in $$(grep -o 'url([^)]*)' $(GOVUK_OUT)/ventanilla.min.css | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$$//' | sort -u); do \
		case "$$url" in data:*) continue;; esac; \
		file="$(STATIC)/$${url#/static/}"; \
		if [ ! -f "$$file" ]; then echo "missing asset referenced by CSS: $$url"; status=1; fi; \
	done; \
	if grep -qi 'GDS Transport\|@font-face' $(GOVUK_OUT)/ventanilla.min.css; then echo "web font left in CSS"; status=1; fi; \
	if grep -l 'sourceMappingURL' $(GOVUK_OUT)/*.js $(HTMX_OUT)/*.js; then echo "source map reference left"; status=1; fi; \
	if [ -d $(GOVUK_OUT)/assets/fonts ]; then echo "fonts must not be shipped"; status=1; fi; \
	exit $$status
	@echo "vendor-check: OK"

## vendor-sizes: gzip sizes against the UX.md budgets (CSS <= 40 KB, JS <= 60 KB)
vendor-sizes:
	@css=$$(gzip -9c $(GOVUK_OUT)/ventanilla.min.css | wc -c); \
	js=$$(cat $(GOVUK_OUT)/govuk-frontend.min.js $(STATIC)/js/init.js | gzip -9c | wc -c); \
	htmx=$$(gzip -9c $(HTMX_OUT)/htmx.min.js | wc -c); \
	printf 'CSS ventanilla.min.css      %6d B gzip (budget 40960)\n' $$css; \
	printf 'JS  govuk-frontend + init   %6d B gzip\n' $$js; \
	printf 'JS  htmx.min.js             %6d B gzip\n' $$htmx; \
	printf 'JS  total                   %6d B gzip (budget 61440)\n' $$((js + htmx)); \
	test $$css -le 40960 && test $$((js + htmx)) -le 61440

## icons: redraw the PNG app icons from the favicon design (output is committed)
icons:
	uv run python $(FRONTEND)/make_icons.py
