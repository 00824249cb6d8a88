"""Pages of appointments, mounted at /dat-lich/ by config/urls.py."""

app_name = "appointments"
urlpatterns: list = []
