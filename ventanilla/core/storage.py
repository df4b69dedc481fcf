from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, pre-compressed static files; module imports (init.js → govuk-frontend) are
    rewritten to hashed names so the browser downloads each file once."""

    support_js_module_import_aggregation = True
