"""Page objects: one per page of the site. Each takes a Playwright `Page`, defines its
locators once (roles and labels, so both layouts work), and exposes verbs and queries.
No assertions and no base URL: paths are relative to the browser context's base URL."""

from automations.pages.common import Header, Overlays
from automations.pages.login import LoginOutcome, LoginPage
from automations.pages.settings import (DevicesPage, PaymentsPage, ProfilePage, SettingsMenu, SettingsSection,
                                         SubscriptionsPage)

__all__ = [
    "DevicesPage",
    "Header",
    "LoginOutcome",
    "LoginPage",
    "Overlays",
    "PaymentsPage",
    "ProfilePage",
    "SettingsMenu",
    "SettingsSection",
    "SubscriptionsPage",
]
