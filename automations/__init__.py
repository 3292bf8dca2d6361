"""Browser automation for okko-cancel: browser provisioning, errors, and the page flows' helpers."""
