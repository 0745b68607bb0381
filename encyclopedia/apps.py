"""The app's configuration: in development, content reloads through Django's autoreloader."""

from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "ImmunoRef encyclopedia"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.autoreload import autoreload_started, file_changed

        from .middleware import development_reload

        # Only runserver's autoreloader sends these; the handlers do nothing unless DEBUG is on.
        autoreload_started.connect(development_reload.watch, dispatch_uid="immunoref-watch-content")
        file_changed.connect(development_reload.changed, dispatch_uid="immunoref-load-changed-content")
