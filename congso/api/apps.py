from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "congso.api"
    verbose_name = "API"
