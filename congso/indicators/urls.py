"""Pages of indicators, mounted at /ioc/ by config/urls.py."""

app_name = "indicators"
urlpatterns: list = []
