"""Pages of payments, mounted at /thanh-toan/ by config/urls.py."""

app_name = "payments"
urlpatterns: list = []
