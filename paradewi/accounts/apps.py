from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "paradewi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from paradewi.accounts import jobs  # noqa: F401 - registers the app's periodic jobs
        from paradewi.accounts.receivers import login_started

        user_logged_in.connect(login_started, dispatch_uid="paradewi.accounts.login_started")
