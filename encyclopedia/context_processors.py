"""Template context for every page: the site's name, its public address, and whether DEBUG is on."""

from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "BASE_URL": settings.BASE_URL,
        "DEBUG": settings.DEBUG,
    }
