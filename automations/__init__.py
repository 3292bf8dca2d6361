"""Browser automation for okko-cancel: browser provisioning, errors, and the page flows' helpers."""

# Its data and cache folders are named after it.
APP_NAME = "okko-cancel"
