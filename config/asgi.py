import os

from django.core.asgi import get_asgi_application

# A server runs this module: production unless told otherwise (manage.py defaults to local).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()
