"""Project date formats per language (FORMAT_MODULE_PATH); the patterns live in core.dates."""
