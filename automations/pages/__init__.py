"""Page objects: one per page of the site. Each takes a Playwright `Page`, keeps every text and
test-id it looks for in one table at the top of its module (automations/locators.py), defines
its locators once, and exposes verbs and queries. No assertions and no base URL: paths are
relative to the browser context's base URL."""

from automations.pages.common import Header, Overlays
from automations.pages.devices import DevicesPage
from automations.pages.login import LoginOutcome, LoginPage
from automations.pages.payments import PaymentsPage
from automations.pages.profile import ProfilePage
from automations.pages.settings import SettingsMenu, SettingsSection
from automations.pages.subscriptions import SubscriptionsPage

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
